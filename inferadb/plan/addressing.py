"""Where every Ledger pod is reachable from every other region, per connectivity mode.

Plain data from the topology (no Pulumi): the Ledger workload turns these into
`INFERADB__LEDGER__ADVERTISE` (with `$(POD_NAME)` / `$(POD_INDEX)` expanded by Kubernetes) and the
`INFERADB__LEDGER__JOIN` seed list, so both modes give the same guarantee: the address a pod
advertises is the address every region dials.
"""

from __future__ import annotations

from inferadb.facts.names import LEDGER, LEDGER_DNS_ZONE
from inferadb.facts.ports import LEDGER_PORT
from inferadb.model.connectivity import PeeringConnectivity
from inferadb.model.regions import Region
from inferadb.model.topology import Topology


def ledger_host(topology: Topology, region: Region, pod: str) -> str:
    """The name peers dial for the Ledger pod `pod` (an ordinal, or `$(POD_INDEX)`) of `region`."""
    connectivity = topology.connectivity
    if isinstance(connectivity, PeeringConnectivity):
        # external-dns publishes each pod of the headless Service as <pod>.<region>.<zone>.
        return f"{LEDGER}-{pod}.{region.id}.{LEDGER_DNS_ZONE}"
    # The pod's Tailscale sidecar joins the tailnet as ledger-<region>-<ordinal> (MagicDNS name).
    host = f"ledger-{region.id}-{pod}"
    return f"{host}.{connectivity.magic_dns_suffix}" if connectivity.magic_dns_suffix else host


def advertise_address(topology: Topology, region: Region) -> str:
    """ADVERTISE for every pod of the region's StatefulSet; Kubernetes expands `$(POD_INDEX)`."""
    return f"{ledger_host(topology, region, '$(POD_INDEX)')}:{LEDGER_PORT}"


def ledger_addresses(topology: Topology, region: Region) -> list[str]:
    return [f"{ledger_host(topology, region, str(i))}:{LEDGER_PORT}" for i in range(topology.ledger_replicas(region))]


def join_seeds(topology: Topology) -> list[str]:
    """Every Ledger address of every region, primary first: the same seed list in every region."""
    return [address for region in topology.ordered_regions() for address in ledger_addresses(topology, region)]
