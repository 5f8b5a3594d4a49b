"""Whether a pod's requests fit the nodes of a pool, and what a pool can give one pod at most.

A node's room for one more pod is its allocatable capacity (inferadb/facts/capacity.py) less the
DaemonSets every node of the pool runs. Requests equal limits in this program (Guaranteed QoS), so
the requests are the whole story.
"""

from __future__ import annotations

from dataclasses import dataclass

from inferadb.facts.capacity import PER_NODE_CPU_M, node_capacity


@dataclass(frozen=True)
class Room:
    instance_type: str
    cpu_m: int
    memory_mib: int

    def holds(self, cpu_m: int, memory_mib: int) -> bool:
        return cpu_m <= self.cpu_m and memory_mib <= self.memory_mib


@dataclass(frozen=True)
class Fit:
    fits: tuple[str, ...]
    """Instance types a pod with these requests fits on."""
    too_small: tuple[Room, ...]
    unknown: tuple[str, ...]
    """Instance types the capacity table does not know: not checked."""


def rooms(instance_types: tuple[str, ...], daemon_cpu_m: int = 0, daemon_memory_mib: int = 0) -> list[Room]:
    """Each known type's room for one pod, after the DaemonSets (`daemon_*` beyond the per-node add-ons)."""
    result = []
    for name in instance_types:
        node = node_capacity(name)
        if node is not None:
            cpu = node.allocatable_cpu_m - PER_NODE_CPU_M - daemon_cpu_m
            result.append(Room(name, cpu, node.allocatable_memory_mib - daemon_memory_mib))
    return result


def fit(
    instance_types: tuple[str, ...],
    cpu_m: int,
    memory_mib: int,
    daemon_cpu_m: int = 0,
    daemon_memory_mib: int = 0,
) -> Fit:
    known = rooms(instance_types, daemon_cpu_m, daemon_memory_mib)
    return Fit(
        fits=tuple(r.instance_type for r in known if r.holds(cpu_m, memory_mib)),
        too_small=tuple(r for r in known if not r.holds(cpu_m, memory_mib)),
        unknown=tuple(t for t in instance_types if node_capacity(t) is None),
    )


LEDGER_RECOMMENDED = (4000, 8192)
"""Ledger's production recommendation per node: 4 cores, 8 GB (inferadb/ledger 53c2112,
`docs/how-to/capacity-planning.md`, "Recommended (Production)")."""
LEDGER_MINIMUM = (1000, 512)
"""Its stated minimum: 1 core, 512 MB (same page)."""


def largest_within(room: list[Room], wanted: tuple[int, int]) -> tuple[int, int] | None:
    """`wanted` (millicores, MiB), cut to what every room holds: CPU to 100m, memory to 256 MiB steps."""
    if not room:
        return None
    cpu = min(wanted[0], min(r.cpu_m for r in room)) // 100 * 100
    memory = min(wanted[1], min(r.memory_mib for r in room)) // 256 * 256
    return cpu, memory
