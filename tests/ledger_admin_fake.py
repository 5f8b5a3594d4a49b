"""Stand-in Ledger nodes for the bootstrap Job's tests: the AdminService subset over real gRPC, one
loopback server per node, all sharing one cluster state.

The messages come from the descriptor set the Job ships (inferadb/plan/admin_protoset.py); the
answers follow inferadb/ledger 53c2112, `crates/services/src/services/admin.rs`:
- GetNodeInfo (1217-1260) reports the node's own id and ADVERTISE address, and a cluster id once
  the cluster is initialised.
- GetClusterInfo (1130-1180) lists voters, then learners, by node id with `peer_addresses[id]` or
  `""`; after a restart those addresses are the JOIN IP literals (`bootstrap.rs`:368-394), and a
  follower shows `""` for the initial node unless it leads (line 1149).
- InitCluster is idempotent; ProvisionRegion answers `created: false` for an active region (2742-2786).
Joining nodes show up as learners, then voters, one step per GetClusterInfo call after init.
"""

from __future__ import annotations

import threading
from concurrent import futures
from dataclasses import dataclass, field
from typing import Any, Literal

import grpc  # type: ignore[import-untyped]  # grpcio ships no type stubs

from inferadb.facts.ledger_admin import METHODS, PACKAGE, SERVICE
from inferadb.plan.admin_protoset import message_classes

CLUSTER_ID = 7141
Addresses = Literal["advertise", "restarted"]


@dataclass
class FakeNode:
    node_id: int
    advertise: str
    seed: str = ""
    """The loopback IP:port it serves on (the load balancer literal the Job dials)."""
    provisioned: set[int] = field(default_factory=set)
    calls: dict[str, int] = field(default_factory=dict)
    failing: set[str] = field(default_factory=set)
    """Methods that answer UNAVAILABLE on this node."""


@dataclass
class FakeCluster:
    nodes: list[FakeNode]
    initialized: bool = False
    voters: list[int] = field(default_factory=list)
    learners: list[int] = field(default_factory=list)
    joining: list[int] = field(default_factory=list)
    """Node ids that join after init, one state change per GetClusterInfo call."""
    stuck_learner: int | None = None
    leader_id: int = 0
    term: int = 1
    addresses: Addresses = "advertise"
    """`restarted`: members show JOIN literals, and the initial node `""` unless it leads."""

    def node(self, node_id: int) -> FakeNode:
        return next(n for n in self.nodes if n.node_id == node_id)

    def handle(self, node: FakeNode, method: str, request: Any, classes: dict[str, Any]) -> Any:
        node.calls[method] = node.calls.get(method, 0) + 1
        reply = classes[METHODS[method][1]]()
        if method == "GetNodeInfo":
            reply.node_id, reply.address = node.node_id, node.advertise
            reply.cluster_id = CLUSTER_ID if self.initialized else 0
            reply.is_cluster_member = self.initialized
            reply.state = "running" if self.initialized else "uninitialized"
        elif method == "InitCluster":
            reply.cluster_id = CLUSTER_ID
            reply.already_initialized = self.initialized
            reply.initialized = not self.initialized
            if not self.initialized:
                self.initialized, self.voters, self.leader_id = True, [node.node_id], node.node_id
        elif method == "GetClusterInfo":
            if self.initialized:
                self._step()
            for node_id in self.voters:
                reply.members.add(
                    node_id=node_id, address=self._address(node_id), role=1, is_leader=node_id == self.leader_id
                )
            for node_id in self.learners:
                reply.members.add(node_id=node_id, address=self._address(node_id), role=2)
            reply.leader_id, reply.term = self.leader_id, self.term
        elif method == "ProvisionRegion":
            reply.created = request.region not in node.provisioned
            reply.region = request.region
            node.provisioned.add(request.region)
        return reply

    def _address(self, node_id: int) -> str:
        if self.addresses == "advertise":
            return self.node(node_id).advertise
        initial = self.voters[0] if self.voters else 0
        if node_id == initial and self.leader_id != initial:
            return ""
        return self.node(node_id).seed

    def _step(self) -> None:
        promotable = [n for n in self.learners if n != self.stuck_learner]
        if promotable:
            self.learners.remove(promotable[0])
            self.voters.append(promotable[0])
        elif self.joining:
            self.learners.append(self.joining.pop(0))


class LoopbackCluster:
    """`with LoopbackCluster(cluster) as seeds:` serves every node of `cluster` on 127.0.0.1 (each
    node's `seed` is set) until the block ends. `start_late` nodes start only on `start(node)`."""

    def __init__(self, cluster: FakeCluster, start_late: tuple[int, ...] = ()) -> None:
        self.cluster = cluster
        self.classes = message_classes()
        self.lock = threading.Lock()
        self.late = set(start_late)
        self.servers: dict[int, Any] = {}
        for node in cluster.nodes:
            server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
            handlers = {
                method: grpc.unary_unary_rpc_method_handler(
                    self._serve(node, method),
                    request_deserializer=self.classes[request].FromString,
                    response_serializer=lambda m: m.SerializeToString(),
                )
                for method, (request, _) in METHODS.items()
            }
            server.add_generic_rpc_handlers((grpc.method_handlers_generic_handler(f"{PACKAGE}.{SERVICE}", handlers),))
            node.seed = f"127.0.0.1:{server.add_insecure_port('127.0.0.1:0')}"
            self.servers[node.node_id] = server

    def _serve(self, node: FakeNode, method: str) -> Any:
        def serve(request: Any, context: grpc.ServicerContext) -> Any:
            if method in node.failing:
                context.abort(grpc.StatusCode.UNAVAILABLE, f"{method} refused by the test")
            with self.lock:
                return self.cluster.handle(node, method, request, self.classes)

        return serve

    def start(self, node_id: int) -> None:
        self.servers[node_id].start()

    def __enter__(self) -> list[str]:
        for node_id, server in self.servers.items():
            if node_id not in self.late:
                server.start()
        return [n.seed for n in self.cluster.nodes]

    def __exit__(self, *_: object) -> None:
        for server in self.servers.values():
            server.stop(grace=None)
