"""Cross-region validation rules: each raises ValueError naming the field path and the fix."""

from __future__ import annotations

import ipaddress
import itertools

from inferadb.analysis.raft_model import commit_latency_floor_ms, failover_estimates
from inferadb.analysis.sizing import fit
from inferadb.analysis.subnets import usable_in_subnet
from inferadb.facts.eks_versions import CALENDAR, today
from inferadb.model.connectivity import TAILNET_CGNAT, TailscaleConnectivity
from inferadb.model.document import WORKER_ID_BLOCK, TopologyDocument
from inferadb.model.requests import pod_requests


def check_topology(topology: TopologyDocument) -> None:
    """Every rule runs, so independent mistakes are reported together (one ValueError, a line each)."""
    problems: list[str] = []
    for rule in RULES:
        try:
            rule(topology)
        except ValueError as exc:
            problems.append(str(exc))
        except Exception:
            # A later rule may need what an earlier one refused (a primary, say): report those first.
            if problems:
                break
            raise
    if problems:
        raise ValueError("\n".join(problems))


def _priorities(topology: TopologyDocument) -> None:
    seen: dict[int, str] = {}
    for region in topology.regions.values():
        if region.priority in seen:
            raise ValueError(
                f"regions.{region.id}.priority {region.priority} is already used by "
                f"{seen[region.priority]}; priorities must be unique (1 = primary, 2, 3, ... = failover order)"
            )
        seen[region.priority] = region.id
    if 1 not in seen:
        raise ValueError("regions: no region has priority 1; give the primary region priority: 1")
    primaries = [r.id for r in topology.regions.values() if r.role == "primary"]
    if primaries != [seen[1]]:
        raise ValueError(
            f"regions.{seen[1]}.role: the priority-1 region must be the only one with role "
            f"'primary' (found primary: {primaries or 'none'}); use role 'dr' or 'witness' for the others"
        )


def _cidrs_disjoint(topology: TopologyDocument) -> None:
    for a, b in itertools.combinations(topology.ordered_regions(), 2):
        if a.vpc_cidr.overlaps(b.vpc_cidr):
            raise ValueError(
                f"regions.{b.id}.vpc_cidr {b.vpc_cidr} overlaps {a.id} ({a.vpc_cidr}); "
                f"give every region a disjoint range (peering and routing need it)"
            )
    if isinstance(topology.connectivity, TailscaleConnectivity):
        for region in topology.regions.values():
            if region.vpc_cidr.overlaps(TAILNET_CGNAT):
                raise ValueError(
                    f"regions.{region.id}.vpc_cidr {region.vpc_cidr} overlaps Tailscale's "
                    f"{TAILNET_CGNAT}; pick a range outside it (e.g. 10.x.0.0/16)"
                )


def _endpoint_blocks(topology: TopologyDocument) -> None:
    """Each zone's Ledger endpoint block sits in that zone's private subnet, clear of the addresses AWS
    keeps, and holds an address per Ledger node of the region. Blocks of different regions cannot
    collide once each sits in its own region's subnets, which `_cidrs_disjoint` keeps disjoint."""
    for region in topology.ordered_regions():
        field = f"regions.{region.id}.ledger_endpoint_blocks"
        blocks, subnets = region.endpoint_blocks, region.private_cidrs
        if len(blocks) != len(subnets):
            raise ValueError(
                f"{field} lists {len(blocks)} blocks for {len(subnets)} zones; give one block per zone, "
                f"in zone order, inside {', '.join(subnets)}"
            )
        nodes = topology.ledger_replicas(region)
        for zone, (block, subnet) in enumerate(zip(blocks, subnets, strict=True)):
            network = ipaddress.IPv4Network(block)
            first, last = usable_in_subnet(subnet)
            if not network.subnet_of(ipaddress.IPv4Network(subnet)) or network[0] < first or network[-1] > last:
                raise ValueError(
                    f"{field}[{zone}] {block} does not fit zone {zone}'s private subnet {subnet} "
                    f"(addresses {first} to {last}; AWS keeps the rest); pick a block inside that range"
                )
            if network.num_addresses < nodes:
                raise ValueError(
                    f"{field}[{zone}] {block} holds {network.num_addresses} addresses but {region.id} runs "
                    f"{nodes} Ledger nodes (one load balancer address each); use a larger block"
                )


def _redundancy_allowed(topology: TopologyDocument) -> None:
    if topology.environment == "production" and topology.ledger.redundancy == "single":
        raise ValueError(
            "ledger.redundancy 'single' runs one Ledger node per region, which is for dev only; "
            "use 'double' (3) or 'triple' (5) in production"
        )


def _ledger_pool_holds_replicas(topology: TopologyDocument) -> None:
    # Ledger pods require distinct hosts (required anti-affinity): the pool must fit them all.
    for region in topology.regions.values():
        replicas, pool = topology.ledger_replicas(region), region.node_groups.ledger
        for field in ("desired_size", "max_size"):
            if getattr(pool, field) < replicas:
                raise ValueError(
                    f"regions.{region.id}.node_groups.ledger.{field} {getattr(pool, field)} cannot hold {replicas} "
                    f"Ledger pods (one per node: the rest would stay Pending and the bootstrap would time out); "
                    f"raise it to at least {replicas}"
                )


def _someone_votes(topology: TopologyDocument) -> None:
    if topology.failure_domains().voters == 0:
        raise ValueError(
            "regions: no region's Ledger nodes vote (ledger_voting is false everywhere), so there is no "
            "quorum to elect a leader; set ledger_voting: true on the primary at least"
        )


def _failover_survivable(topology: TopologyDocument) -> None:
    if topology.failover != "automatic":
        return
    domains = topology.failure_domains()
    for loss in domains.unsurvivable_regions():
        region = loss.name.removeprefix("region ")
        raise ValueError(
            f"regions.{region}: failover is 'automatic' but losing {region} leaves "
            f"{loss.remaining} of {domains.voters} Ledger voters (quorum is {domains.quorum}). "
            f"Add a witness region or set failover: manual."
        )


def _kube_proxy_matches(topology: TopologyDocument) -> None:
    minor = topology.eks.kube_proxy_minor()
    for region in topology.ordered_regions():
        if region.kubernetes_version != minor:
            raise ValueError(
                f"regions.{region.id}.kubernetes_version {region.kubernetes_version} does not match "
                f"eks.addons.kube-proxy ({topology.eks.addons['kube-proxy']}, for {minor}); kube-proxy must match "
                f"the cluster's minor version: pin the add-on for {region.kubernetes_version} or align the versions"
            )


def _worker_ids_fit(topology: TopologyDocument) -> None:
    # Control WORKER_IDs are 0-1023 and unique across every region: one block of 100 per region.
    if len(topology.regions) * WORKER_ID_BLOCK > 1024:
        raise ValueError(
            f"regions: {len(topology.regions)} regions do not fit Control's WORKER_ID space (0-1023, "
            f"{WORKER_ID_BLOCK} per region); use at most {1024 // WORKER_ID_BLOCK} regions"
        )


def _targets_reachable(topology: TopologyDocument) -> None:
    targets, voters, primary = topology.targets, topology.voters(), topology.primary.id
    if targets.commit_latency_ms is not None:
        floor = commit_latency_floor_ms(voters, primary)
        if floor > targets.commit_latency_ms:
            raise ValueError(
                f"targets.commit_latency_ms {targets.commit_latency_ms:g} is impossible: a commit needs "
                f"{voters.quorum} of {voters.total} voters, and the nearest majority from {primary} is {floor:g} ms "
                f"away. Move voters closer to the primary (or a witness) or raise the target"
            )
    if targets.failover_seconds is not None:
        for estimate in failover_estimates(voters, primary):
            if estimate.seconds is None:
                raise ValueError(
                    f"targets.failover_seconds {targets.failover_seconds:g} is impossible: losing {estimate.region} "
                    f"leaves {estimate.reason}, so recovery is manual. Add a witness region"
                )
            if estimate.seconds > targets.failover_seconds:
                raise ValueError(
                    f"targets.failover_seconds {targets.failover_seconds:g} is impossible: losing {estimate.region} "
                    f"takes about {estimate.seconds:.1f} s ({estimate.reason}). Raise the target"
                )


def _control_site(topology: TopologyDocument) -> None:
    site, environment = topology.control, topology.environment
    if environment == "dev":
        return
    if site is None:
        raise ValueError(
            f"control: a {environment} topology needs control.frontend_url, control.webauthn_rp_id and "
            f"control.webauthn_origin (Control defaults them to localhost, so links and passkeys would fail)"
        )
    if local := site.local_hosts():
        raise ValueError(f"control.{local[0]} names localhost or an IP address; use the public host name outside dev")
    if environment == "production" and (plain := site.plain_http()):
        raise ValueError(f"control.{plain[0]} is not https; production serves Control's pages over https only")


def _requests_fit(topology: TopologyDocument) -> None:
    for region in topology.ordered_regions():
        for pod in pod_requests(topology, region):
            result = fit(pod.instance_types, pod.cpu_m, pod.memory_mib, pod.daemon_cpu_m, pod.daemon_memory_mib)
            if result.too_small and not result.fits:
                biggest = max(result.too_small, key=lambda r: (r.cpu_m, r.memory_mib))
                raise ValueError(
                    f"{pod.field} ({pod.cpu_m}m CPU, {pod.memory_mib}Mi per pod) fits no instance type of "
                    f"{pod.pool_field} ({biggest.instance_type} has room for {biggest.cpu_m}m and "
                    f"{biggest.memory_mib}Mi after its system reservations); lower the requests or add a larger type"
                )


def _kubernetes_supported(topology: TopologyDocument) -> None:
    on = today()
    for region in topology.ordered_regions():
        field, version = f"regions.{region.id}.kubernetes_version", region.kubernetes_version
        known = CALENDAR.get(version)
        if known is None:
            raise ValueError(
                f"{field} {version} is not in the EKS release calendar this program knows "
                f"({', '.join(CALENDAR)}); add it to inferadb/facts/eks_versions.py with its support dates"
            )
        support = known.support(on)
        newest = max(CALENDAR.values(), key=lambda v: v.released).version
        if support == "ended":
            raise ValueError(f"{field} {version} left EKS extended support on {known.end_of_extended}; use {newest}")
        if support == "extended" and not topology.eks.allow_extended_support:
            raise ValueError(
                f"{field} {version} left EKS standard support on {known.end_of_standard} and is billed as extended "
                f"support; upgrade to {newest} (docs/deploying.md, Upgrading) or set eks.allow_extended_support: true"
            )


def _monitoring_storage(topology: TopologyDocument) -> None:
    if topology.monitoring.mode == "install" and "aws-ebs-csi-driver" not in topology.eks.addons:
        version = next(iter(topology.regions.values())).kubernetes_version
        raise ValueError(
            "monitoring.mode install keeps Prometheus on gp3 volumes, which need the EBS CSI driver: pin "
            "eks.addons.aws-ebs-csi-driver (list the versions with `aws eks describe-addon-versions "
            f"--addon-name aws-ebs-csi-driver --kubernetes-version {version}`)"
        )


RULES = (
    _priorities,
    _cidrs_disjoint,
    _endpoint_blocks,
    _redundancy_allowed,
    _ledger_pool_holds_replicas,
    _someone_votes,
    _failover_survivable,
    _kube_proxy_matches,
    _kubernetes_supported,
    _worker_ids_fit,
    _targets_reachable,
    _control_site,
    _requests_fit,
    _monitoring_storage,
)
