"""The human summary synth prints per stack: component tree, counts, failure domains, timing."""

from __future__ import annotations

from collections import Counter
from typing import Any

from inferadb.analysis.raft_model import commit_latency_floor_ms, failover_estimates, timing_warnings
from inferadb.facts.eks_versions import CALENDAR, today
from inferadb.facts.path_mtu import INSTANCE_MTU, PEERING_MTU, TAILSCALE_TUNNEL_MTU, TUNNEL_TCP_MSS
from inferadb.model.eks import documentation_cidrs
from inferadb.model.topology import Topology
from inferadb.plan.region import RegionPlan, TailnetPlan, plan_region
from inferadb.plan.router_boot import READY_ATTEMPTS, READY_INTERVAL_SECONDS
from synth.deploy_time import critical_path


def short_type(resource_type: str) -> str:
    """`aws:ec2/subnet:Subnet` -> `aws:ec2:Subnet` (what a reader scans for)."""
    package, module, kind = [*resource_type.split(":"), "", ""][:3]
    return f"{package}:{module.split('/')[0]}:{kind}" if kind else resource_type


def component_tree(resources: list[dict[str, Any]]) -> list[str]:
    children: dict[str | None, list[dict[str, Any]]] = {}
    for resource in resources:
        children.setdefault(resource["parent"], []).append(resource)
    lines: list[str] = []

    def walk(resource: dict[str, Any], depth: int) -> None:
        kids = children.get(resource["urn"], [])
        leaves = Counter(short_type(k["type"]) for k in kids if k["custom"])
        summary = ", ".join(f"{n} {t}" for t, n in sorted(leaves.items()))
        lines.append(f"{'  ' * depth}{resource['type']} {resource['name']}" + (f"  [{summary}]" if summary else ""))
        for kid in kids:
            if not kid["custom"]:
                walk(kid, depth + 1)

    for root in children.get(None, []):
        if not root["custom"]:
            walk(root, 1)
    return lines


def stack_summary(result: dict[str, Any], topology: Topology, policy_base: dict[str, Any] | None = None) -> str:
    region = topology.regions[result["stack"]]
    plan = plan_region(topology, region.id, policy_base)
    resources = result["resources"]
    lines = [
        f"== {region.id} (priority {region.priority}, {region.role}): "
        f"{len(resources)} resources in {result['seconds']:.2f} s",
        "component tree:",
        *component_tree(resources),
        "resources by type:",
        *(f"  {n:>4}  {t}" for t, n in sorted(Counter(r["type"] for r in resources).items())),
        *access_lines(plan),
        *workload_lines(plan),
        "deploy:",
        *("  " + line for line in critical_path(resources).describe().splitlines()),
    ]
    secret = set(result.get("secret_exports", []))
    exports = ", ".join(f"{k}{' (secret)' if k in secret else ''}" for k in sorted(result["exports"]))
    lines.append(f"exports: {exports}")
    lines += [f"  {w}" for w in result.get("warnings", [])]
    return "\n".join(lines)


def region_loss_lines(topology: Topology) -> list[str]:
    """Whether this layout outlives the loss of a whole region, and what would make it."""
    lost = topology.failure_domains().unsurvivable_regions()
    if not lost:
        return ["  outlives a region: yes, the loss of any one region keeps quorum"]
    worst = lost[0]
    return [
        f"  outlives a region: NO, losing {worst.name.removeprefix('region ')} leaves {worst.remaining} of "
        f"{topology.failure_domains().voters} voters (quorum {worst.quorum}): nothing accepts writes until it returns",
        "  to outlive a region, add a witness region: one Ledger voter on one small NVMe node in a third region "
        "(its stack, router or peering, and NAT), as examples/witness.yaml",
    ]


def latency_lines(topology: Topology) -> list[str]:
    voters, primary = topology.voters(), topology.primary.id
    lines = [
        f"latency and failover (leader in {primary}):",
        f"  commit latency floor: {commit_latency_floor_ms(voters, primary):g} ms",
    ]
    lines += [f"  {estimate.describe()}" for estimate in failover_estimates(voters, primary)]
    lines += [f"  warning: {warning}" for warning in timing_warnings(voters)]
    return lines


def path_mtu_lines(plan: RegionPlan) -> list[str]:
    """How large Raft messages cross between regions: the MSS clamp (tailnet) and the ICMP rules."""
    icmp = f"ICMP fragmentation-needed admitted on nodes and endpoints from {', '.join(plan.ledger.icmp_sources)}"
    mode = plan.connectivity
    if isinstance(mode, TailnetPlan):
        return [
            f"  path MTU: tunnel {TAILSCALE_TUNNEL_MTU}; the router clamps TCP MSS to {TUNNEL_TCP_MSS} both ways "
            f"(nftables, kept across reboots); {icmp}, on the router from {', '.join(mode.router.advertise_routes)}"
        ]
    return [f"  path MTU: inter-region peering {PEERING_MTU} against {INSTANCE_MTU} on instances; {icmp}"]


def router_change_lines(plan: RegionPlan) -> list[str]:
    """What replacing the routers costs (a boot script, instance type, Tailscale version or subnet change)."""
    mode = plan.connectivity
    if not isinstance(mode, TailnetPlan):
        return []
    zones = len(mode.router.zones)
    return [
        f"  router change: the {zones} routers are replaced one zone at a time, the old one first; each zone's "
        f"path to the other regions is down until its new router reports its boot (a few minutes; pulumi up "
        f"waits up to {READY_ATTEMPTS * READY_INTERVAL_SECONDS // 60} min), which costs what the failure "
        f"table's 'one router of {plan.region}' row says, once per zone"
    ]


def workload_lines(plan: RegionPlan) -> list[str]:
    """What runs, from which build, and what is held at zero replicas (and why)."""
    ledger, clients = plan.ledger, plan.clients
    requests = ledger.resources["requests"]
    lines = [
        "workloads:",
        f"  ledger   {ledger.replicas} replicas  {ledger.image}  ({requests['cpu']} CPU, {requests['memory']})",
    ]
    lines += [f"  warning: {w}" for w in plan.warnings]
    lines.append(f"  ledger ADVERTISE {ledger.advertise}")
    lines.append("  ledger endpoints (name -> pinned load balancer address per zone; JOIN seed; NodePort):")
    for endpoint in ledger.endpoints:
        lines.append(
            f"    {endpoint.name}  {', '.join(endpoint.addresses)}  seed {endpoint.seed}  :{endpoint.node_port}"
        )
    lines.append(f"  ledger JOIN (every region) {', '.join(ledger.join)}")
    lines += path_mtu_lines(plan)
    lines += router_change_lines(plan)
    steps = ledger.bootstrap
    voters = f"{len(steps.voters)} voter{'s' if len(steps.voters) != 1 else ''}"
    lines.append(
        f"  ledger bootstrap Job at {steps.target}: {'init, ' if steps.run_init else ''}wait for {voters} "
        f"(this region and the earlier ones), provision {', '.join(steps.provision) or 'nothing'}"
    )
    if clients is None:
        return lines
    for name, app in (("engine", clients.engine), ("control", clients.control)):
        lines.append(f"  {name:<8} {app.replicas} replicas  {app.image}")
        if app.hold:
            lines.append(f"  warning: {name} held at 0 replicas: {app.hold}")
    lines.append(f"  control writes: {clients.control.writes}")
    access = clients.control.access
    if access is not None:
        routing = f"failover {access.failover_role}" if access.routing == "failover" else "latency"
        scheme = "internet-facing" if access.internet_facing else "internal"
        lines.append(
            f"  control public name: https://{access.hostname} ({scheme} load balancer, TLS with an ACM "
            f"certificate, {routing} record in {access.public_zone})"
        )
    rp_id = clients.control.settings.webauthn_rp_id
    if rp_id.split(".")[-2:] in (["example", "com"], ["example", "org"], ["example", "net"]):
        lines.append(
            f"  warning: control uses the reserved domain {rp_id}; put your own in topology.yaml's control block"
        )
    return lines


def access_lines(plan: RegionPlan) -> list[str]:
    """How the deployer reaches the API and who may use it (explicit entries only)."""
    cluster = plan.cluster
    paths = [f"public endpoint from {', '.join(cluster.public_cidrs)}"] if cluster.public_cidrs else []
    if cluster.private_cidrs:
        paths.append(f"private endpoint on 443 from {', '.join(cluster.private_cidrs)}")
    version = CALENDAR[cluster.kubernetes_version]
    support = version.support(today())
    until = version.end_of_standard if support == "standard" else version.end_of_extended
    lines = [
        "cluster:",
        f"  Kubernetes {cluster.kubernetes_version}: {support} support until {until}, upgrade policy "
        f"{cluster.upgrade_support}",
        f"  API: {'; '.join(paths)} (the VPC itself always reaches the private endpoint)",
    ]
    documentation = documentation_cidrs(cluster.public_cidrs)
    if documentation:
        lines.append(
            f"  warning: {', '.join(documentation)} is a documentation range: put your egress ranges in "
            f"eks.api_access.public_cidrs (preflight refuses it)"
        )
    lines.append(
        f"  access entries: {len(cluster.deployers)} eks.deployers (cluster admin; the identity running an update "
        f"must be one of them), {len(cluster.admins)} eks.admins (cluster admin), "
        f"preview role {'(read-only)' if cluster.preview_role else 'none'}; no implicit creator or caller admin"
    )
    return lines
