"""Where every Ledger node is reachable from every region: one load balancer per ordinal.

Plain data from the topology (no Pulumi). Read at inferadb/ledger 53c2112:
`crates/server/src/discovery.rs` `parse_seed_addresses` keeps only IP:port seeds (a host name is
dropped), and `bootstrap.rs` `seed_polling_loop` registers Raft transport at the exact seed address
it dialled, so each seed is a literal that reaches one fixed node. ADVERTISE is host:port and may be
a name (`config.rs` `advertise_addr`): Kubernetes substitutes `$(POD_INDEX)` into it, which it cannot
do arithmetic with, so the name carries the ordinal and every ordinal shares the port. Why one load
balancer per ordinal (and not one port per ordinal): docs/adr/0004-ledger-endpoints.md.
"""

from __future__ import annotations

from dataclasses import dataclass

from inferadb.analysis.subnets import endpoint_address
from inferadb.facts.names import LEDGER, LEDGER_DNS_ZONE
from inferadb.facts.ports import LEDGER_NODE_PORT_BASE, LEDGER_PORT
from inferadb.model.regions import Region
from inferadb.model.topology import Topology


@dataclass(frozen=True)
class LedgerEndpoint:
    """One Ledger node's stable address: a load balancer with a pinned address in every zone."""

    region: str
    ordinal: int
    addresses: tuple[str, ...]
    """The load balancer's private address in each zone, in zone order (all reach the node)."""
    node_port: int
    """The NodePort of the ordinal's Service, which the load balancer forwards to."""

    @property
    def name(self) -> str:
        return ledger_host(self.region, str(self.ordinal))

    @property
    def advertise(self) -> str:
        """What the node advertises, and so how cluster membership lists it."""
        return f"{self.name}:{LEDGER_PORT}"

    @property
    def seed(self) -> str:
        """The JOIN literal: one of the node's addresses, taken from zone `ordinal mod zones` so the
        seeds of a region do not all go through the load balancers' nodes in one zone."""
        return f"{self.addresses[self.ordinal % len(self.addresses)]}:{LEDGER_PORT}"


def ledger_host(region: str, pod: str) -> str:
    """The name of the Ledger node `pod` (an ordinal, or `$(POD_INDEX)`) of `region`."""
    return f"{LEDGER}-{pod}.{region}.{LEDGER_DNS_ZONE}"


def advertise_address(region: Region) -> str:
    """ADVERTISE for every pod of the region's StatefulSet; Kubernetes expands `$(POD_INDEX)`."""
    return f"{ledger_host(region.id, '$(POD_INDEX)')}:{LEDGER_PORT}"


def ledger_endpoints(topology: Topology, region: Region) -> tuple[LedgerEndpoint, ...]:
    blocks = region.endpoint_blocks
    return tuple(
        LedgerEndpoint(
            region=region.id,
            ordinal=n,
            addresses=tuple(endpoint_address(block, n) for block in blocks),
            node_port=LEDGER_NODE_PORT_BASE + n,
        )
        for n in range(topology.ledger_replicas(region))
    )


def join_seeds(topology: Topology) -> list[str]:
    """One literal per Ledger node of every region, primary first: the same list in every region.

    A pod's own address is in the list too (a StatefulSet has one template); Ledger skips itself: on
    restart `info.node_id != my_node_id`, and on first start an uninitialised node reports no cluster.
    """
    return [e.seed for region in topology.ordered_regions() for e in ledger_endpoints(topology, region)]
