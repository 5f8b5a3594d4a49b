"""The pods whose requests must fit their pool's nodes, per region, with Ledger's computed default."""

from __future__ import annotations

from dataclasses import dataclass

from inferadb.analysis.sizing import LEDGER_RECOMMENDED, largest_within, rooms
from inferadb.facts.capacity import (
    COREDNS_REQUESTS,
    PROVISIONER_REQUESTS,
    cpu_millicores,
    memory_mib,
)
from inferadb.model.document import TopologyDocument
from inferadb.model.regions import Region
from inferadb.model.workloads import Resources


@dataclass(frozen=True)
class PodRequests:
    field: str
    """The topology field the requests come from."""
    pool_field: str
    instance_types: tuple[str, ...]
    cpu_m: int
    """The whole pod."""
    memory_mib: int
    daemon_cpu_m: int
    daemon_memory_mib: int
    replicas: int
    nodes: int
    """The pool's desired size."""


def ledger_resources(topology: TopologyDocument, region: Region) -> Resources:
    """`ledger.resources` when set; otherwise Ledger's recommendation, cut to what the pool's nodes hold."""
    if topology.ledger.resources is not None:
        return topology.ledger.resources
    daemon_cpu, daemon_memory = _ledger_node(region)
    room = rooms(region.node_groups.ledger.instance_types, daemon_cpu, daemon_memory)
    cpu, memory = largest_within(room, LEDGER_RECOMMENDED) or LEDGER_RECOMMENDED
    return Resources(cpu=_cpu(cpu), memory=_memory(memory))


def pod_requests(topology: TopologyDocument, region: Region) -> list[PodRequests]:
    groups, pools = region.node_groups, f"regions.{region.id}.node_groups"
    ledger = ledger_resources(topology, region)
    pods = [
        PodRequests(
            "ledger.resources",
            f"{pools}.ledger",
            groups.ledger.instance_types,
            cpu_millicores(ledger.cpu),
            memory_mib(ledger.memory),
            *_ledger_node(region),
            replicas=topology.ledger_replicas(region),
            nodes=groups.ledger.desired_size,
        )
    ]
    if groups.general is not None and region.role != "witness":
        workloads = topology.workloads
        for field, resources, replicas in (
            ("workloads.engine_resources", workloads.engine_resources, workloads.engine),
            ("workloads.control_resources", workloads.control_resources, workloads.control_replicas),
        ):
            pods.append(
                PodRequests(
                    field,
                    f"{pools}.general",
                    groups.general.instance_types,
                    cpu_millicores(resources.cpu),
                    memory_mib(resources.memory),
                    0,
                    0,
                    replicas=replicas,
                    nodes=groups.general.desired_size,
                )
            )
    return pods


def _ledger_node(region: Region) -> tuple[int, int]:
    """What else a Ledger node runs: the provisioner, and CoreDNS where there is no general pool."""
    extra = [PROVISIONER_REQUESTS] + ([COREDNS_REQUESTS] if region.node_groups.general is None else [])
    return sum(cpu_millicores(r["cpu"]) for r in extra), sum(memory_mib(r["memory"]) for r in extra)


def _cpu(millicores: int) -> str:
    return str(millicores // 1000) if millicores % 1000 == 0 else f"{max(millicores, 100)}m"


def _memory(mebibytes: int) -> str:
    return f"{mebibytes // 1024}Gi" if mebibytes % 1024 == 0 else f"{max(mebibytes, 256)}Mi"
