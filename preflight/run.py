"""Run every preflight check for one region of the topology, failing fast and clearly.

Credentials are checked first (STS GetCallerIdentity): without them nothing else can answer, so
that is one FAIL line, not a traceback per check. Every AWS call has short connect and read
timeouts and a bounded retry, so an unreachable endpoint ends the run in seconds.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from pathlib import Path

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from inferadb.facts.eks_versions import CALENDAR, today
from inferadb.model.connectivity import PeeringConnectivity, TailscaleConnectivity
from inferadb.model.topology import Topology
from inferadb.plan.region import cluster_name, nat_gateway_per_zone, plan_region
from inferadb.progress import status
from inferadb.stack.files import StackConfigError, project_name, read_stack_config
from preflight import checks
from preflight.api_access import api_access
from preflight.aws import DEFAULT_TIMEOUT_SECONDS, client_config, session
from preflight.crds import monitoring_crds
from preflight.deployers import deployer
from preflight.endpoint_addresses import endpoint_addresses
from preflight.results import Result, failed, passed, warned
from preflight.service_roles import autoscaling_role

# Codes that mean "this principal may not ask", not "the answer is bad": the check cannot tell.
NOT_ALLOWED = {"AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "UnrecognizedClientException"}


def check_region(
    topology: Topology,
    region_id: str,
    project_dir: Path,
    timeout: float = DEFAULT_TIMEOUT_SECONDS,
    egress_ip: str | None = None,
) -> list[Result]:
    region = topology.regions[region_id]
    reachable = [*api_access(topology.eks.api_access, egress_ip), support_window(region.kubernetes_version)]
    config = client_config(timeout)
    home = session(region.id)  # honours AWS_ENDPOINT_URL and the usual chain
    identity, caller = _caller(home, config)
    if identity.status == "FAIL":
        return [*reachable, identity]
    ec2 = home.client("ec2", config=config)
    groups = {"ledger": region.node_groups.ledger}
    if region.node_groups.general is not None:
        groups["general"] = region.node_groups.general
    results = [*reachable, identity, deployer(caller, topology.eks.deployers, topology.eks.admins)]
    used_zones: list[str] = []

    def zones() -> list[Result]:
        nonlocal used_zones
        found, used_zones = checks.zones(ec2, region)
        return found

    results += _safely("zones", zones)
    results += _safely("offerings", lambda: checks.offerings(ec2, used_zones, groups))
    results += _safely("nvme", lambda: checks.nvme(ec2, region.node_groups.ledger.instance_types))
    quotas = home.client("service-quotas", config=config)
    results += _safely("quota", lambda: checks.vcpu_quota(ec2, quotas, groups))
    needed = elastic_ips_needed(topology, region_id)
    results += _safely("elastic-ips", lambda: checks.elastic_ips(ec2, region.id, needed))
    results += _safely("vpc-cidr", lambda: checks.cidr_free(ec2, region))
    if region.ledger_endpoint_reservation == "none":
        endpoints = plan_region(topology, region_id).ledger.endpoints
        results += _safely("endpoint-addresses", lambda: endpoint_addresses(ec2, endpoints))
    if isinstance(topology.connectivity, PeeringConnectivity):
        earlier = [r for r in topology.ordered_regions() if r.priority < region.priority]
        results += _safely("peering", lambda: checks.no_foreign_peering(ec2, region, earlier))
    iam = home.client("iam", config=config)
    results += _safely("service-role", lambda: autoscaling_role(iam))
    eks = home.client("eks", config=config)
    results += _safely("kubernetes", lambda: checks.kubernetes_version(eks, region.kubernetes_version))
    pinned: dict[str, str] = {str(name): version for name, version in topology.eks.addons.items()}
    results += _safely("addons", lambda: checks.addon_versions(eks, region.kubernetes_version, pinned))
    if topology.monitoring.mode == "existing":
        cluster = cluster_name(region.id)
        results += _safely("monitoring-crds", lambda: monitoring_crds(eks, home, cluster, timeout))
    if isinstance(topology.connectivity, TailscaleConnectivity):
        results += _tailscale(project_dir, region.id)
        ssm = home.client("ssm", config=config)
        expiry = topology.connectivity.auth_key_expiry_seconds
        now = datetime.datetime.now(datetime.UTC)
        results += _safely("router-key", lambda: checks.router_key(ssm, region.id, expiry, now))
    return results


def _caller(session: boto3.session.Session, config: Config) -> tuple[Result, str]:
    """The credentials' check, and the ARN they call as (empty when AWS cannot say)."""
    try:
        arn = str(session.client("sts", config=config).get_caller_identity()["Arn"])
    except (ClientError, BotoCoreError) as exc:
        return failed(
            "credentials",
            f"AWS cannot be asked who this is ({_reason(exc)}); set credentials (AWS_PROFILE, or "
            f"AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY) and check the endpoint is reachable",
        ), ""
    return passed("credentials", f"calling as {arn}"), arn


def elastic_ips_needed(topology: Topology, region_id: str) -> int:
    """The NAT gateways' (one per zone outside dev). The routers use their instances' own public
    addresses, which the Elastic IP quota does not count."""
    zones = len(topology.regions[region_id].private_cidrs)
    return zones if nat_gateway_per_zone(topology) else 1


def support_window(version: str) -> Result:
    """Offline: where the region's Kubernetes version stands in the EKS calendar today."""
    known = CALENDAR[version]  # the topology only validates with a calendar version
    support = known.support(today())
    if support == "standard":
        return passed("kubernetes-support", f"{version} is in EKS standard support until {known.end_of_standard}")
    if support == "extended":
        return warned(
            "kubernetes-support",
            f"{version} is in EKS extended support (billed per cluster-hour) until {known.end_of_extended}",
        )
    return failed("kubernetes-support", f"{version} left EKS extended support on {known.end_of_extended}")


def _safely(check: str, run: Callable[[], list[Result]]) -> list[Result]:
    """One check's results, or one line that says why the check could not run."""
    status(f"checking {check} ...")
    try:
        return run()
    except ClientError as exc:
        code = str(exc.response.get("Error", {}).get("Code", "error"))
        if code in NOT_ALLOWED:
            return [warned(check, f"not allowed to ask ({code}); this check was not made")]
        return [failed(check, f"AWS answered {code}: {exc.response.get('Error', {}).get('Message', '')}".strip())]
    except BotoCoreError as exc:
        return [failed(check, f"AWS could not be reached ({_reason(exc)})")]


def _tailscale(project_dir: Path, region: str) -> list[Result]:
    try:
        config = read_stack_config(project_dir, project_name(project_dir), region)
    except StackConfigError as exc:
        return [failed("tailscale", str(exc))]
    return checks.tailscale_credentials(config)


def _reason(exc: Exception) -> str:
    if isinstance(exc, ClientError):
        return str(exc.response.get("Error", {}).get("Code", "error"))
    return f"{type(exc).__name__}: {exc}"
