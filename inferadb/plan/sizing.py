"""Warnings about requests and node capacity that do not stop a deploy but will surprise someone.

A request no node of its pool can hold is a topology error (inferadb/model/rules.py); these are the
softer cases: a mixed pool where some types are too small, types the capacity table does not know,
a pool too small at its desired size for every replica, and a Ledger cut below its recommendation.
"""

from __future__ import annotations

from inferadb.analysis.sizing import LEDGER_RECOMMENDED, fit, rooms
from inferadb.facts.capacity import cpu_millicores, memory_mib
from inferadb.model.document import TopologyDocument
from inferadb.model.regions import Region
from inferadb.model.requests import PodRequests, ledger_resources, pod_requests


def sizing_warnings(topology: TopologyDocument, region: Region) -> tuple[str, ...]:
    pods = pod_requests(topology, region)
    warnings = [w for pod in pods for w in _pod(pod)]
    general = [p for p in pods if p.field != "ledger.resources"]
    if general:
        warnings += _pool_total(general)
    if topology.ledger.resources is None:
        given = ledger_resources(topology, region)
        cpu, memory = cpu_millicores(given.cpu), memory_mib(given.memory)
        if cpu < LEDGER_RECOMMENDED[0] or memory < LEDGER_RECOMMENDED[1]:
            warnings.append(
                f"Ledger gets {given.cpu} CPU and {given.memory}, below its recommended 4 cores and 8 GB per node: "
                f"that is what {', '.join(region.node_groups.ledger.instance_types)} can give it; a larger type "
                f"gets the full recommendation"
            )
    return tuple(warnings)


def _pod(pod: PodRequests) -> list[str]:
    result = fit(pod.instance_types, pod.cpu_m, pod.memory_mib, pod.daemon_cpu_m, pod.daemon_memory_mib)
    warnings = []
    if result.fits and result.too_small:
        small = ", ".join(r.instance_type for r in result.too_small)
        warnings.append(f"{pod.field} does not fit {small} of {pod.pool_field}: such nodes cannot run that pod")
    if result.unknown:
        warnings.append(
            f"{pod.pool_field}: no capacity figures for {', '.join(result.unknown)}; "
            f"{pod.field} was not checked against it"
        )
    return warnings


def _pool_total(pods: list[PodRequests]) -> list[str]:
    room = rooms(pods[0].instance_types)
    if not room:
        return []
    smallest = min(room, key=lambda r: (r.cpu_m, r.memory_mib))
    nodes = pods[0].nodes
    cpu = sum(p.cpu_m * p.replicas for p in pods)
    memory = sum(p.memory_mib * p.replicas for p in pods)
    if cpu <= smallest.cpu_m * nodes and memory <= smallest.memory_mib * nodes:
        return []
    return [
        f"{pods[0].pool_field}: Engine and Control request {cpu}m CPU and {memory}Mi in all, more than "
        f"{nodes} x {smallest.instance_type} hold ({smallest.cpu_m * nodes}m, {smallest.memory_mib * nodes}Mi); "
        f"raise desired_size or choose a larger type"
    ]
