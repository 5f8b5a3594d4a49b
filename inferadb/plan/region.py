"""plan_region: every value one region's stack derives from the topology, computed once.

Pure data (no Pulumi): the components take the parts of a `RegionPlan` they use and never see the
`Topology`. What a stack reads from other stacks at deploy time (VPC ids, the primary's outputs)
is not here; the plan only names which earlier regions there are.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from inferadb.facts.catalog import architecture
from inferadb.facts.ledger_admin import CONTROL_DEFAULT_REGION
from inferadb.model.connectivity import TailscaleConnectivity
from inferadb.model.eks import AddonName
from inferadb.model.regions import NodeGroup, Region
from inferadb.model.requests import ledger_resources
from inferadb.model.topology import Topology
from inferadb.plan.addressing import LedgerEndpoint, advertise_address, join_seeds, ledger_endpoints
from inferadb.plan.bootstrap_script import BootstrapSteps, Voter
from inferadb.plan.clients import ClientsPlan, plan_clients
from inferadb.plan.sizing import sizing_warnings
from inferadb.plan.tags import base_tags
from inferadb.plan.tailnet_policy import policy_document

# Created before the node groups (nodes need the CNI); coredns after (it needs nodes).
NETWORKING_ADDONS: tuple[AddonName, ...] = ("vpc-cni", "kube-proxy", "eks-pod-identity-agent")
DNS_ADDONS: tuple[AddonName, ...] = ("coredns",)


@dataclass(frozen=True)
class NetworkPlan:
    vpc_cidr: str
    zones: int | tuple[str, ...]
    """Explicit zone names, or a count resolved against the account's available zones."""
    nat_gateway_per_zone: bool
    """One NAT per zone keeps egress up when a zone fails; one shared NAT is cheaper (dev)."""
    flow_log_retention_days: int
    private_cidrs: tuple[str, ...]
    endpoint_blocks: tuple[str, ...]
    """The Ledger endpoint block of each zone's private subnet, reserved before any node launches."""
    reserve_endpoint_blocks: bool = True
    """An explicit subnet CIDR reservation per block (`ledger_endpoint_reservation: explicit`)."""


@dataclass(frozen=True)
class ClusterPlan:
    name: str
    kubernetes_version: str
    admins: tuple[str, ...]
    deployers: tuple[str, ...]
    """Who runs `pulumi up`: a stable entry each (empty: the entry follows the caller)."""
    preview_role: str | None
    public_cidrs: tuple[str, ...]
    """Egress ranges allowed to the public endpoint; empty: the public endpoint is off."""
    private_cidrs: tuple[str, ...]
    """Networks admitted on 443 to the private endpoint (a rule on the cluster security group)."""
    log_retention_days: int
    upgrade_support: str
    """`STANDARD` (the version must be in standard support) or `EXTENDED` (eks.allow_extended_support)."""
    networking_addons: dict[str, str]
    """Add-on -> pinned version, created before the nodes."""
    dns_addons: dict[str, str]
    """Created after the nodes."""
    coredns_tolerates_ledger: bool
    """A region with only the tainted Ledger pool (a witness) must let coredns run there."""


@dataclass(frozen=True)
class PoolSpec:
    pool: str
    instance_types: tuple[str, ...]
    min_size: int
    desired_size: int
    max_size: int
    disk_size_gib: int
    imds_hop_limit: int
    local_storage: str | None
    """nodeadm localStorage strategy for instance-store disks (`Mount` on the Ledger pool)."""
    tainted: bool


@dataclass(frozen=True)
class LedgerPlan:
    image: str
    schema: str
    """The settings schema of the pinned build (inferadb/facts/settings.py)."""
    replicas: int
    jurisdiction: str
    """INFERADB__LEDGER__REGION: the Ledger region slug the topology maps this AWS region to."""
    advertise: str
    join: tuple[str, ...]
    endpoints: tuple[LedgerEndpoint, ...]
    """This region's Ledger nodes: the load balancer addresses and NodePort of each ordinal."""
    seed_sources: tuple[str, ...]
    """Where Ledger traffic to this region's endpoints comes from: every region's private subnets, where
    both its nodes and (under the VPC CNI) its pods take their addresses."""
    all_endpoint_blocks: tuple[str, ...]
    """Every region's endpoint blocks: the only destinations a Ledger pod dials."""
    icmp_sources: tuple[str, ...]
    """Where ICMP "fragmentation needed" comes from on a Ledger path: this VPC (its router, the NLBs)
    and every other region's private subnets. Path MTU discovery needs it (inferadb/facts/path_mtu.py)."""
    resources: dict[str, dict[str, str]]
    storage: str
    catch_up_seconds: int
    """Seconds a started pod stays not Ready (the rollout and drain gate; no catch-up signal exists)."""
    bootstrap: BootstrapSteps
    """The bootstrap Job's steps: init (primary only), wait for this region's voters, provision."""
    bootstrap_image: str
    quorum: int
    """Voters needed for a quorum across every region (the alerts' threshold)."""
    voters: int
    """Voters in every region together."""


@dataclass(frozen=True)
class ZoneRouter:
    """One zone's subnet router: it advertises only its own zone's private subnet, and that zone's
    private route table sends the other regions' subnets to it. Each destination subnet then has
    exactly one router, and each source zone uses its own: a flow and its reply cross the same two
    routers, and losing a router is losing its zone's path, no more."""

    zone: int
    hostname: str
    advertise_routes: tuple[str, ...]
    """This zone's private subnet: its nodes and its Ledger endpoint block."""


@dataclass(frozen=True)
class RouterPlan:
    """The region's Tailscale subnet routers, one per zone, routing Ledger traffic site to site."""

    zones: tuple[ZoneRouter, ...]
    instance_type: str
    arm: bool
    tailscale_version: str
    advertise_routes: tuple[str, ...]
    """The region's private subnets: its nodes (sources, kept unmasqueraded) and its Ledger endpoints."""
    remote_routes: tuple[str, ...]
    """Every other region's private subnets: sent from each private route table to the router."""
    endpoint_blocks: tuple[str, ...]
    """The region's Ledger endpoint blocks: the only local destinations the router forwards to."""
    public_address: bool = True
    """In the zone's public subnet with a public address (WireGuard admitted), or private behind NAT."""


@dataclass(frozen=True)
class TailnetPlan:
    tailnet: str
    policy_json: str
    """What the primary writes: this program's policy, or the operator's base with it merged in."""
    overwrite_existing_policy: bool
    """True with a base (the merged policy keeps everything the base has); else the topology's choice."""
    auth_key_expiry_seconds: int
    router: RouterPlan


@dataclass(frozen=True)
class PeerPlan:
    region: str
    private_cidrs: tuple[str, ...]
    """One per zone, as are its private route tables."""


@dataclass(frozen=True)
class PeeringPlan:
    earlier_peers: tuple[PeerPlan, ...]
    """The regions this stack peers with: every earlier one (the later region owns each pair)."""


@dataclass(frozen=True)
class MonitoringPlan:
    mode: str
    """`none`, `install` or `existing`."""
    namespace: str
    release_label: str
    runbook_base_url: str
    retention: str
    storage: str

    @property
    def enabled(self) -> bool:
        """Whether this program creates ServiceMonitors and alerts (the operator's CRDs exist)."""
        return self.mode != "none"


@dataclass(frozen=True)
class RegionPlan:
    region: str
    environment: str
    role: str
    primary: str
    earlier: tuple[str, ...]
    """Regions deployed before this one, in priority order (this stack reads their outputs)."""
    tags: dict[str, str]
    network: NetworkPlan
    cluster: ClusterPlan
    pools: tuple[PoolSpec, ...]
    storage_provisioner_image: str
    storage_cleanup_image: str
    ledger: LedgerPlan
    clients: ClientsPlan | None
    connectivity: TailnetPlan | PeeringPlan
    monitoring: MonitoringPlan
    warnings: tuple[str, ...]
    """What the plan prints for a human to act on: requests and node capacity."""

    @property
    def is_primary(self) -> bool:
        return self.region == self.primary


def protects(plan: RegionPlan) -> bool:
    """Whether the resources holding data or identity are protected: everywhere but a dev estate."""
    return plan.environment != "dev"


def plan_region(topology: Topology, region_id: str, policy_base: dict[str, Any] | None = None) -> RegionPlan:
    """`policy_base`: the operator's tailnet policy (`connectivity.policy_base`), read by the stack layer."""
    region = topology.regions[region_id]
    primary = topology.primary.id
    return RegionPlan(
        region=region.id,
        environment=topology.environment,
        role=region.role,
        primary=primary,
        earlier=tuple(r.id for r in topology.ordered_regions() if r.priority < region.priority),
        tags=base_tags(region.id, topology.environment),
        network=_network(topology, region),
        cluster=_cluster(topology, region),
        pools=_pools(region),
        storage_provisioner_image=topology.images.local_volume_provisioner,
        storage_cleanup_image=topology.images.local_volume_node_cleanup,
        ledger=_ledger(topology, region),
        clients=None if region.role == "witness" else plan_clients(topology, region),
        connectivity=_connectivity(topology, region, policy_base),
        monitoring=MonitoringPlan(**topology.monitoring.model_dump()),
        warnings=sizing_warnings(topology, region) + _declared_build_warnings(topology),
    )


def cluster_name(region_id: str) -> str:
    return f"inferadb-{region_id}"


def _network(topology: Topology, region: Region) -> NetworkPlan:
    return NetworkPlan(
        vpc_cidr=str(region.vpc_cidr),
        zones=region.availability_zones,
        nat_gateway_per_zone=nat_gateway_per_zone(topology),
        flow_log_retention_days=365 if topology.environment == "production" else 30,
        private_cidrs=region.private_cidrs,
        endpoint_blocks=region.endpoint_blocks,
        reserve_endpoint_blocks=region.ledger_endpoint_reservation == "explicit",
    )


def _cluster(topology: Topology, region: Region) -> ClusterPlan:
    eks = topology.eks
    return ClusterPlan(
        name=cluster_name(region.id),
        kubernetes_version=region.kubernetes_version,
        admins=eks.admins,
        deployers=eks.deployers,
        preview_role=eks.preview_role,
        public_cidrs=tuple(str(c) for c in eks.api_access.public_cidrs),
        private_cidrs=tuple(str(c) for c in eks.api_access.private_cidrs),
        log_retention_days=eks.log_retention_days,
        upgrade_support="EXTENDED" if eks.allow_extended_support else "STANDARD",
        networking_addons={name: eks.addons[name] for name in NETWORKING_ADDONS},
        # the EBS CSI driver (monitoring.mode install) needs nodes too
        dns_addons={name: eks.addons[name] for name in (*DNS_ADDONS, "aws-ebs-csi-driver") if name in eks.addons},
        coredns_tolerates_ledger=region.node_groups.general is None,
    )


def _pools(region: Region) -> tuple[PoolSpec, ...]:
    groups = region.node_groups
    pools = [_pool("ledger", groups.ledger, ledger=True)]
    if groups.general is not None:
        pools.append(_pool("general", groups.general, ledger=False))
    return tuple(pools)


def _pool(pool: str, group: NodeGroup, *, ledger: bool) -> PoolSpec:
    return PoolSpec(
        pool=pool,
        instance_types=group.instance_types,
        min_size=group.min_size,
        desired_size=group.desired_size,
        max_size=group.max_size,
        disk_size_gib=group.disk_size_gib,
        imds_hop_limit=group.imds_hop_limit,
        local_storage="Mount" if ledger else None,
        tainted=ledger,
    )


def _ledger(topology: Topology, region: Region) -> LedgerPlan:
    return LedgerPlan(
        image=topology.images.ledger,
        schema=topology.images.build("ledger").schema,
        replicas=topology.ledger_replicas(region),
        jurisdiction=region.ledger_jurisdiction,
        advertise=advertise_address(region),
        join=tuple(join_seeds(topology)),
        endpoints=ledger_endpoints(topology, region),
        seed_sources=tuple(c for r in topology.ordered_regions() for c in r.private_cidrs),
        all_endpoint_blocks=tuple(b for r in topology.ordered_regions() for b in r.endpoint_blocks),
        icmp_sources=(str(region.vpc_cidr), *(c for r in _others(topology, region) for c in r.private_cidrs)),
        resources=ledger_resources(topology, region).requirements(),
        storage=topology.ledger.storage,
        catch_up_seconds=topology.ledger.catch_up_seconds,
        bootstrap=_bootstrap(topology, region),
        bootstrap_image=topology.images.bootstrap,
        quorum=topology.failure_domains().quorum,
        voters=topology.failure_domains().voters,
    )


def _bootstrap(topology: Topology, region: Region) -> BootstrapSteps:
    """Each region's Job waits until every node of the regions deployed so far (the earlier ones and
    its own) is a voter, then provisions its own data region; the primary's also inits the cluster
    and provisions Control's default region, where Control puts new users."""
    primary = region.id == topology.primary.id
    slugs = [region.ledger_jurisdiction] + ([CONTROL_DEFAULT_REGION] if primary else [])
    deployed = [r for r in topology.ordered_regions() if r.priority <= region.priority]
    return BootstrapSteps(
        target=ledger_endpoints(topology, region)[0].seed,
        run_init=primary,
        voters=tuple(Voter(e.advertise, e.seed) for r in deployed for e in ledger_endpoints(topology, r)),
        provision=tuple(dict.fromkeys(s for s in slugs if s != "global")),
    )


def nat_gateway_per_zone(topology: Topology) -> bool:
    """One NAT gateway per zone keeps egress up when a zone fails; dev shares one (cheaper)."""
    return topology.environment != "dev"


def _declared_build_warnings(topology: Topology) -> tuple[str, ...]:
    return tuple(
        f"{d.component} {d.tag} is declared like {d.like} (commit {d.commit}): this program has not read its "
        f"settings, wire API or leader behaviour and renders {d.like}'s; preflight compares the image's "
        f"revision label with {d.commit}"
        for d in topology.images.declared_in_use()
    )


def _others(topology: Topology, region: Region) -> list[Region]:
    return [r for r in topology.ordered_regions() if r.id != region.id]


def _connectivity(topology: Topology, region: Region, policy_base: dict[str, Any] | None) -> TailnetPlan | PeeringPlan:
    mode = topology.connectivity
    if isinstance(mode, TailscaleConnectivity):
        if mode.policy_base is not None and policy_base is None:
            raise ValueError("connectivity.policy_base is set but its file was not read (inferadb/stack/files.py)")
        return TailnetPlan(
            tailnet=mode.tailnet,
            policy_json=policy_document(topology, policy_base),
            overwrite_existing_policy=mode.overwrite_existing_policy or policy_base is not None,
            auth_key_expiry_seconds=mode.auth_key_expiry_seconds,
            router=RouterPlan(
                zones=tuple(
                    # Zone 0's router keeps the name (and the resources) of the one router of earlier releases.
                    ZoneRouter(z, f"inferadb-router-{region.id}" + (f"-{z}" if z else ""), (cidr,))
                    for z, cidr in enumerate(region.private_cidrs)
                ),
                instance_type=mode.router_instance_type,
                arm=architecture(mode.router_instance_type) == "arm64",
                tailscale_version=mode.tailscale_version,
                advertise_routes=region.private_cidrs,
                remote_routes=tuple(c for r in _others(topology, region) for c in r.private_cidrs),
                endpoint_blocks=region.endpoint_blocks,
                public_address=mode.router_public_address,
            ),
        )
    earlier = [r for r in topology.ordered_regions() if r.priority < region.priority]
    return PeeringPlan(earlier_peers=tuple(PeerPlan(r.id, r.private_cidrs) for r in earlier))
