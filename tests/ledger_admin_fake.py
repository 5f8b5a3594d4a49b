"""A loopback Ledger for the bootstrap Job's tests: the AdminService subset over real gRPC.

The messages come from the same descriptor set the Job ships (inferadb/plan/admin_protoset.py); the
state machine follows what the pinned Ledger answers (inferadb/ledger 53c2112,
`crates/services/src/services/admin.rs`): InitCluster is idempotent, GetNodeInfo reports a cluster
id once initialised, ProvisionRegion answers `created: false` for an active region. Joining nodes
show up as learners, then voters, one step per GetClusterInfo call after init.
"""

from __future__ import annotations

import threading
from concurrent import futures
from dataclasses import dataclass, field
from typing import Any

import grpc  # type: ignore[import-untyped]  # grpcio ships no type stubs
from google.protobuf import descriptor_pool, message_factory

from inferadb.facts.ledger_admin import METHODS, PACKAGE, SERVICE
from inferadb.plan.admin_protoset import admin_file

CLUSTER_ID = 7141


def message_classes() -> dict[str, Any]:
    pool = descriptor_pool.DescriptorPool()
    pool.Add(admin_file())
    names = {name for pair in METHODS.values() for name in pair} | {"ClusterMember"}
    return {name: message_factory.GetMessageClass(pool.FindMessageTypeByName(f"{PACKAGE}.{name}")) for name in names}


@dataclass
class FakeLedger:
    joining: list[str] = field(default_factory=list)
    """Member addresses that join after init, one state change per GetClusterInfo call."""
    stuck_learner: str | None = None
    """A member that never becomes a voter."""
    initialized: bool = False
    voters: list[str] = field(default_factory=list)
    learners: list[str] = field(default_factory=list)
    provisioned: set[int] = field(default_factory=set)
    calls: dict[str, int] = field(default_factory=dict)

    def handle(self, method: str, request: Any, classes: dict[str, Any]) -> Any:
        self.calls[method] = self.calls.get(method, 0) + 1
        reply = classes[METHODS[method][1]]()
        if method == "GetNodeInfo":
            reply.cluster_id = CLUSTER_ID if self.initialized else 0
            reply.state = "running" if self.initialized else "uninitialized"
        elif method == "InitCluster":
            reply.cluster_id = CLUSTER_ID
            reply.already_initialized = self.initialized
            reply.initialized = not self.initialized
            self.initialized = True
        elif method == "GetClusterInfo":
            if self.initialized:
                self._step()
            for address in self.voters:
                reply.members.add(address=address, role=1, node_id=len(address))
            for address in self.learners:
                reply.members.add(address=address, role=2, node_id=len(address))
        elif method == "ProvisionRegion":
            reply.created = request.region not in self.provisioned
            reply.region = request.region
            self.provisioned.add(request.region)
        return reply

    def _step(self) -> None:
        promotable = [a for a in self.learners if a != self.stuck_learner]
        if promotable:
            self.learners.remove(promotable[0])
            self.voters.append(promotable[0])
        elif self.joining:
            self.learners.append(self.joining.pop(0))


class LoopbackLedger:
    """`with LoopbackLedger(fake) as address:` serves `fake` on 127.0.0.1 until the block ends."""

    def __init__(self, fake: FakeLedger) -> None:
        self.fake = fake
        self.classes = message_classes()
        self.lock = threading.Lock()
        self.server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
        handlers = {
            method: grpc.unary_unary_rpc_method_handler(
                self._serve(method),
                request_deserializer=self.classes[request].FromString,
                response_serializer=lambda m: m.SerializeToString(),
            )
            for method, (request, _) in METHODS.items()
        }
        self.server.add_generic_rpc_handlers((grpc.method_handlers_generic_handler(f"{PACKAGE}.{SERVICE}", handlers),))
        self.port = self.server.add_insecure_port("127.0.0.1:0")

    def _serve(self, method: str) -> Any:
        def serve(request: Any, context: grpc.ServicerContext) -> Any:
            with self.lock:
                return self.fake.handle(method, request, self.classes)

        return serve

    def __enter__(self) -> str:
        self.server.start()
        return f"127.0.0.1:{self.port}"

    def __exit__(self, *_: object) -> None:
        self.server.stop(grace=None)
