"""Ledger's AdminService from Python, with the same descriptor set the bootstrap Job ships
(inferadb/plan/admin_protoset.py): GetNodeInfo and GetClusterInfo, read by node id and role."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import grpc  # type: ignore[import-untyped]  # grpcio ships no type stubs

from inferadb.facts.ledger_admin import METHODS, PACKAGE, SERVICE
from inferadb.plan.admin_protoset import message_classes

VOTER, LEARNER = 1, 2


@dataclass(frozen=True)
class Member:
    node_id: int
    role: int
    is_leader: bool


@dataclass(frozen=True)
class ClusterView:
    members: tuple[Member, ...]
    leader_id: int
    term: int

    def voters(self) -> set[int]:
        return {m.node_id for m in self.members if m.role == VOTER}


def _call(address: str, method: str, timeout: float) -> Any:
    classes = message_classes()
    request, response = METHODS[method]
    with grpc.insecure_channel(address) as channel:
        stub = channel.unary_unary(
            f"/{PACKAGE}.{SERVICE}/{method}",
            request_serializer=lambda m: m.SerializeToString(),
            response_deserializer=classes[response].FromString,
        )
        return stub(classes[request](), timeout=timeout)


def node_id(address: str, timeout: float = 5.0) -> int:
    return int(_call(address, "GetNodeInfo", timeout).node_id)


def cluster_view(address: str, timeout: float = 5.0) -> ClusterView:
    reply = _call(address, "GetClusterInfo", timeout)
    members = tuple(Member(int(m.node_id), int(m.role), bool(m.is_leader)) for m in reply.members)
    return ClusterView(members, int(reply.leader_id), int(reply.term))
