"""Run every preflight check for one region of the topology."""

from __future__ import annotations

from pathlib import Path

import boto3

from inferadb.model.connectivity import PeeringConnectivity
from inferadb.model.topology import Topology
from inferadb.stack.files import project_name, read_stack_config
from preflight import checks
from preflight.results import Result


def check_region(topology: Topology, region_id: str, project_dir: Path) -> list[Result]:
    region = topology.regions[region_id]
    session = boto3.session.Session(region_name=region.id)  # honours AWS_ENDPOINT_URL and the usual chain
    ec2 = session.client("ec2")
    groups = {"ledger": region.node_groups.ledger}
    if region.node_groups.general is not None:
        groups["general"] = region.node_groups.general
    results, used_zones = checks.zones(ec2, region)
    results += checks.offerings(ec2, used_zones, groups)
    results += checks.nvme(ec2, region.node_groups.ledger.instance_types)
    results += checks.vcpu_quota(ec2, session.client("service-quotas"), groups)
    results += checks.cidr_free(ec2, region)
    if isinstance(topology.connectivity, PeeringConnectivity):
        earlier = [r for r in topology.ordered_regions() if r.priority < region.priority]
        results += checks.no_foreign_peering(ec2, region, earlier)
    results += checks.kubernetes_version(session.client("eks"), region.kubernetes_version)
    if topology.connectivity.mode == "tailscale":
        results += checks.tailscale_credentials(read_stack_config(project_dir, project_name(project_dir), region.id))
    return results
