"""Preflight checks of one region against the account, each a small function over boto3 clients.

Every check degrades to WARN where the API cannot answer (a missing permission, an endpoint that
does not model it), and says why; FAIL is kept for what would break the deployment.
"""

from __future__ import annotations

import datetime
import ipaddress
import os
import re
from collections.abc import Iterable
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from inferadb.model.regions import NodeGroup, Region
from inferadb.stack.files import TAILSCALE_CLIENT_SECRET_KEY, is_secure
from preflight.results import Result, failed, passed, warned

STANDARD_VCPU_QUOTA = "L-1216C47A"  # Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances
# Series counted against that quota (i4i, im4gn, is4gen are I; inf2, x2idn, g5 have quotas of their own).
STANDARD_SERIES = {"a", "c", "d", "h", "i", "im", "is", "m", "r", "t", "z"}


def zones(ec2: Any, region: Region) -> tuple[list[Result], list[str]]:
    """The zones the deployment will use, as the program picks them (names, or the first N)."""
    available = sorted(
        z["ZoneName"]
        for z in ec2.describe_availability_zones(Filters=[{"Name": "state", "Values": ["available"]}])[
            "AvailabilityZones"
        ]
        if z.get("OptInStatus", "opt-in-not-required") == "opt-in-not-required"
    )
    wanted = region.availability_zones
    if isinstance(wanted, int):
        if len(available) < wanted:
            return [
                failed(
                    "zones",
                    f"{region.id} offers {len(available)} zones ({', '.join(available)}), "
                    f"the topology asks for {wanted}",
                )
            ], available
        return [passed("zones", f"{wanted} of {', '.join(available)}")], available[:wanted]
    missing = sorted(set(wanted) - set(available))
    if missing:
        return [
            failed("zones", f"{', '.join(missing)} not available to this account (available: {', '.join(available)})")
        ], [z for z in wanted if z in available]
    return [passed("zones", ", ".join(wanted))], list(wanted)


def offerings(ec2: Any, used_zones: list[str], groups: dict[str, NodeGroup]) -> list[Result]:
    types = sorted({t for g in groups.values() for t in g.instance_types})
    offered: set[tuple[str, str]] = set()
    for page in ec2.get_paginator("describe_instance_type_offerings").paginate(
        LocationType="availability-zone", Filters=[{"Name": "instance-type", "Values": types}]
    ):
        offered |= {(o["InstanceType"], o["Location"]) for o in page["InstanceTypeOfferings"]}
    results = []
    for pool, group in groups.items():
        for itype in group.instance_types:
            gaps = [z for z in used_zones if (itype, z) not in offered]
            if gaps:
                results.append(failed("offerings", f"{pool} type {itype} is not offered in {', '.join(gaps)}"))
            else:
                results.append(passed("offerings", f"{pool} type {itype} offered in {', '.join(used_zones)}"))
    return results


def nvme(ec2: Any, instance_types: Iterable[str]) -> list[Result]:
    results = []
    for info in ec2.describe_instance_types(InstanceTypes=sorted(set(instance_types)))["InstanceTypes"]:
        support = (info.get("InstanceStorageInfo") or {}).get("NvmeSupport")
        if info.get("InstanceStorageSupported") and support in ("required", "supported"):
            results.append(passed("nvme", f"{info['InstanceType']} has local NVMe instance storage"))
        else:
            results.append(
                failed("nvme", f"{info['InstanceType']} has no local NVMe instance storage (Ledger needs it)")
            )
    return results


def vcpu_quota(ec2: Any, quotas: Any, groups: dict[str, NodeGroup]) -> list[Result]:
    types = sorted({t for g in groups.values() for t in g.instance_types})
    vcpus = {
        i["InstanceType"]: i["VCpuInfo"]["DefaultVCpus"]
        for i in ec2.describe_instance_types(InstanceTypes=types)["InstanceTypes"]
    }
    needed = sum(
        g.max_size * max(vcpus[t] for t in g.instance_types)
        for g in groups.values()
        if _series(g.instance_types[0]) in STANDARD_SERIES
    )
    try:
        quota = quotas.get_service_quota(ServiceCode="ec2", QuotaCode=STANDARD_VCPU_QUOTA)["Quota"]["Value"]
    except (ClientError, BotoCoreError) as exc:
        return [
            warned(
                "quota",
                f"could not read the On-Demand vCPU quota ({_reason(exc)}); the node groups need "
                f"{needed} vCPUs at max size",
            )
        ]
    if quota < needed:
        return [failed("quota", f"On-Demand standard vCPU quota is {quota:g}, node groups need {needed} at max size")]
    return [passed("quota", f"{needed} vCPUs needed at max size, quota {quota:g}")]


def elastic_ips(ec2: Any, region: str, needed: int) -> list[Result]:
    """The region's NAT gateways each hold an Elastic IP; a re-run reuses its own. The limit is the
    account attribute `vpc-max-elastic-ips` (EC2 API, DescribeAccountAttributes)."""
    addresses = ec2.describe_addresses()["Addresses"]
    ours = sum(_ours(a.get("Tags"), region) for a in addresses)
    more = max(needed - ours, 0)
    attributes = ec2.describe_account_attributes(AttributeNames=["vpc-max-elastic-ips"])["AccountAttributes"]
    values = [v["AttributeValue"] for a in attributes for v in a.get("AttributeValues", [])]
    if not values:
        return [warned("elastic-ips", f"EC2 did not say how many Elastic IPs the account may hold; {needed} needed")]
    quota = int(values[0])
    if len(addresses) + more > quota:
        return [
            failed(
                "elastic-ips",
                f"{needed} Elastic IPs needed (NAT gateways), {len(addresses)} allocated of a limit of {quota}: "
                f"request an increase of 'EC2-VPC Elastic IPs' in Service Quotas, or release unused ones",
            )
        ]
    return [passed("elastic-ips", f"{needed} needed, {len(addresses)} allocated, limit {quota}")]


def router_key(ssm: Any, region: str, expiry_seconds: int, now: datetime.datetime) -> list[Result]:
    """The routers' auth key in SSM (a replaced router logs in with it): still valid? The key expires
    `expiry_seconds` after it was minted, which is when the parameter was last written."""
    name = f"/inferadb/{region}/tailscale-router-auth-key"
    try:
        written = ssm.describe_parameters(ParameterFilters=[{"Key": "Name", "Values": [name]}])["Parameters"]
    except (ClientError, BotoCoreError) as exc:
        return [warned("router-key", f"could not read {name} ({_reason(exc)})")]
    if not written:
        return [passed("router-key", f"{name} does not exist yet: the first pulumi up creates it")]
    expires = written[0]["LastModifiedDate"] + datetime.timedelta(seconds=expiry_seconds)
    if expires <= now:
        return [
            failed(
                "router-key",
                f"the routers' auth key expired on {expires:%Y-%m-%d %H:%M} UTC: a replaced router could not log in; "
                f"run `pulumi up --refresh --stack {region}` (or the key rotation workflow) before any router change",
            )
        ]
    left = expires - now
    # Less than a quarter of its life left: the scheduled rotation may have stopped (GitHub disables
    # scheduled workflows after 60 days without activity).
    status = warned if left < datetime.timedelta(seconds=expiry_seconds / 4) else passed
    return [status("router-key", f"the routers' auth key is valid until {expires:%Y-%m-%d %H:%M} UTC")]


def _ours(tags: list[dict[str, str]] | None, region: str) -> bool:
    return any(t["Key"] == "inferadb:region" and t["Value"] == region for t in tags or [])


def cidr_free(ec2: Any, region: Region) -> list[Result]:
    clashes = [
        f"{v['VpcId']} ({v['CidrBlock']})"
        for v in ec2.describe_vpcs()["Vpcs"]
        if ipaddress.ip_network(v["CidrBlock"]).overlaps(region.vpc_cidr) and not _ours(v.get("Tags"), region.id)
    ]
    if clashes:
        return [failed("vpc-cidr", f"{region.vpc_cidr} overlaps existing {', '.join(clashes)}; pick another vpc_cidr")]
    return [passed("vpc-cidr", f"{region.vpc_cidr} overlaps no VPC in {region.id}")]


def no_foreign_peering(ec2: Any, region: Region, peers: list[Region]) -> list[Result]:
    results = []
    connections = ec2.describe_vpc_peering_connections(
        Filters=[{"Name": "status-code", "Values": ["active", "pending-acceptance", "provisioning"]}]
    )["VpcPeeringConnections"]
    for peer in peers:
        pair = {str(region.vpc_cidr), str(peer.vpc_cidr)}
        joining = [
            c
            for c in connections
            if {c["RequesterVpcInfo"].get("CidrBlock"), c["AccepterVpcInfo"].get("CidrBlock")} == pair
        ]
        foreign = [
            c["VpcPeeringConnectionId"]
            for c in joining
            if not _ours(c.get("Tags"), region.id) and not _ours(c.get("Tags"), peer.id)
        ]
        if foreign:
            results.append(
                failed(
                    "peering",
                    f"{', '.join(foreign)} already joins {region.id} and {peer.id}; "
                    f"remove it or import it before deploying",
                )
            )
        else:
            results.append(passed("peering", f"no foreign peering between {region.id} and {peer.id}"))
    return results


def kubernetes_version(eks: Any, version: str) -> list[Result]:
    try:
        offered = {v["clusterVersion"] for v in eks.describe_cluster_versions()["clusterVersions"]}
    except (ClientError, BotoCoreError) as exc:
        return [warned("kubernetes", f"could not list EKS versions ({_reason(exc)}); {version} not verified")]
    if version not in offered:
        return [failed("kubernetes", f"EKS does not offer {version} here (offered: {', '.join(sorted(offered))})")]
    return [passed("kubernetes", f"EKS offers {version}")]


def addon_versions(eks: Any, kubernetes_version: str, pinned: dict[str, str]) -> list[Result]:
    """Every pinned add-on version is one EKS offers for the cluster's Kubernetes version."""
    results = []
    for name, version in sorted(pinned.items()):
        try:
            answer = eks.describe_addon_versions(addonName=name, kubernetesVersion=kubernetes_version)
        except (ClientError, BotoCoreError) as exc:
            results.append(warned("addons", f"could not list {name} versions ({_reason(exc)}); {version} not verified"))
            continue
        offered = {v["addonVersion"] for a in answer.get("addons", []) for v in a.get("addonVersions", [])}
        if not offered:
            results.append(
                warned("addons", f"EKS listed no {name} versions for {kubernetes_version}; {version} not verified")
            )
        elif version in offered:
            results.append(passed("addons", f"{name} {version} is offered for Kubernetes {kubernetes_version}"))
        else:
            newest = sorted(offered)[-3:]
            results.append(
                failed(
                    "addons",
                    f"{name} {version} is not offered for Kubernetes {kubernetes_version} (e.g. {', '.join(newest)})",
                )
            )
    return results


def tailscale_credentials(config: dict[str, Any]) -> list[Result]:
    """Present, from the environment or the stack config, and not two kinds at once (the provider
    refuses an API key beside an OAuth client); the value is never printed."""
    api_key = bool(os.environ.get("TAILSCALE_API_KEY"))
    oauth = [k for k in ("TAILSCALE_OAUTH_CLIENT_SECRET",) if os.environ.get(k)]
    oauth += [k for k in (f"inferadb:{TAILSCALE_CLIENT_SECRET_KEY}",) if is_secure(config.get(k))]
    if api_key and oauth:
        return [
            failed(
                "tailscale",
                f"TAILSCALE_API_KEY is set beside an OAuth client ({', '.join(oauth)}), and the provider refuses "
                "both at once: unset TAILSCALE_API_KEY (it was for the primary's first run only) and revoke it",
            )
        ]
    if api_key or oauth:
        found = ["TAILSCALE_API_KEY"] if api_key else oauth
        return [passed("tailscale", f"credential found in {', '.join(found)}")]
    return [
        failed(
            "tailscale",
            "no Tailscale credential. On the primary's very first run: export TAILSCALE_API_KEY (an admin's API "
            "access token), which writes the policy that declares tag:inferadb-router; an OAuth client cannot "
            "mint keys for that tag before. Then create the OAuth client (scopes auth_keys and policy_file, tag "
            f"tag:inferadb-router), `pulumi config set --secret inferadb:{TAILSCALE_CLIENT_SECRET_KEY} ...` (and "
            "the client id) per stack, or TAILSCALE_OAUTH_CLIENT_ID/_SECRET, and unset the API key",
        )
    ]


def _reason(exc: Exception) -> str:
    if isinstance(exc, ClientError):
        return str(exc.response.get("Error", {}).get("Code", "error"))
    return type(exc).__name__


def _series(instance_type: str) -> str:
    match = re.match(r"[a-z]+", instance_type)
    return match.group() if match else ""
