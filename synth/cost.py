"""A monthly estimate of one stack, read from the resources it records (build/<stack>/cost.json).

Every line is a quantity the plan declares, times a list price from `inferadb/facts/prices.py`, for
730 hours a month. A price the table lacks is never guessed: the line says `unknown` and is left out
of the total, or (for services only priced in us-east-1) it uses that figure and says so. Usage the
plan cannot know (bytes through NAT, load balancer capacity units, log volume, replication traffic)
is either left out with its rate named, or priced from an assumption stated on the line.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

from inferadb.facts.eks_versions import CALENDAR, today
from inferadb.facts.prices import HOURS_PER_MONTH, Quote, quote

# Assumptions for usage the plan cannot see; each line that uses one says so.
ASSUMED_LOG_GB_PER_GROUP = 5.0
"""CloudWatch Logs ingested per log group per month (EKS control-plane logs, VPC flow logs)."""
ASSUMED_INTER_REGION_GB = 100.0
"""Raft replication and catch-up sent out of each region per month."""


@dataclass(frozen=True)
class Line:
    item: str
    quantity: float
    unit: str
    unit_usd: float | None
    monthly_usd: float | None
    price: str
    """`sourced`, `cross-checked`, `us-east-1 price` or `unknown`."""
    source: str
    note: str = ""


@dataclass
class Estimate:
    stack: str
    lines: list[Line] = field(default_factory=list)

    @property
    def total_usd(self) -> float:
        return round(sum(line.monthly_usd or 0.0 for line in self.lines), 2)

    @property
    def unpriced(self) -> list[str]:
        return [line.item for line in self.lines if line.monthly_usd is None and line.price == "unknown"]

    @property
    def at_us_east_1(self) -> list[str]:
        return [line.item for line in self.lines if line.price == "us-east-1 price"]

    def to_json(self) -> str:
        document = {
            "stack": self.stack,
            "currency": "USD",
            "hours_per_month": HOURS_PER_MONTH,
            "total_usd": self.total_usd,
            "unpriced": self.unpriced,
            "priced_at_us_east_1": self.at_us_east_1,
            "assumptions": {
                "cloudwatch_logs_gb_per_group_month": ASSUMED_LOG_GB_PER_GROUP,
                "inter_region_gb_out_month": ASSUMED_INTER_REGION_GB,
            },
            "lines": [asdict(line) for line in self.lines],
        }
        return json.dumps(document, indent=2) + "\n"


def _line(item: str, quantity: float, unit: str, found: Quote, note: str = "") -> Line:
    if found.price is None or found.price.usd is None:
        return Line(item, quantity, unit, None, None, "unknown", "", note)
    usd = found.price.usd
    return Line(item, quantity, unit, usd, round(quantity * usd, 2), found.label, found.price.source, note)


def _of(resources: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [r for r in resources if r["type"] == kind and r.get("custom", True) and not r.get("read")]


def estimate(stack: str, resources: list[dict[str, Any]]) -> Estimate:
    """The stack's monthly list-price estimate; `stack` is its AWS region."""
    lines: list[Line] = []
    lines += _compute(stack, resources)
    lines += _network(stack, resources)
    lines += _storage(stack, resources)
    lines += _services(stack, resources)
    return Estimate(stack, lines)


def _compute(region: str, resources: list[dict[str, Any]]) -> list[Line]:
    lines = []
    for cluster in _of(resources, "aws:eks/cluster:Cluster"):
        version = str(cluster["props"].get("version", ""))
        support = CALENDAR[version].support(today()) if version in CALENDAR else "standard"
        dimension = "cluster-extended-support" if support == "extended" else "cluster"
        lines.append(
            _line(
                f"EKS control plane {cluster['name']}",
                HOURS_PER_MONTH,
                "hours",
                quote("eks", dimension, region, True),
                f"Kubernetes {version}: {support} support",
            )
        )
    for group in _of(resources, "aws:eks/nodeGroup:NodeGroup"):
        props = group["props"]
        instance_type = (props.get("instanceTypes") or ["?"])[0]
        nodes = int((props.get("scalingConfig") or {}).get("desiredSize", 0))
        lines.append(
            _line(
                f"EC2 {instance_type} x{nodes} (node group {group['name']})",
                nodes * HOURS_PER_MONTH,
                "instance-hours",
                quote("ec2", instance_type, region),
                "at the desired size",
            )
        )
    for instance in _of(resources, "aws:ec2/instance:Instance"):
        instance_type = instance["props"].get("instanceType", "?")
        lines.append(
            _line(
                f"EC2 {instance_type} ({instance['name']})",
                HOURS_PER_MONTH,
                "instance-hours",
                quote("ec2", instance_type, region),
            )
        )
    return lines


def _network(region: str, resources: list[dict[str, Any]]) -> list[Line]:
    lines = []
    gateways = len(_of(resources, "aws:ec2/natGateway:NatGateway"))
    if gateways:
        lines.append(
            _line(
                f"NAT gateways x{gateways}",
                gateways * HOURS_PER_MONTH,
                "gateway-hours",
                quote("nat-gateway", "gateway", region, True),
                "data processed is extra (usage: not estimated)",
            )
        )
    balancers = [
        b for b in _of(resources, "aws:lb/loadBalancer:LoadBalancer") if b["props"].get("loadBalancerType") == "network"
    ]
    if balancers:
        lines.append(
            _line(
                f"network load balancers x{len(balancers)}",
                len(balancers) * HOURS_PER_MONTH,
                "balancer-hours",
                quote("nlb", "load-balancer", region, True),
                "capacity units are extra (usage: not estimated)",
            )
        )
    addresses = public_addresses(resources)
    if addresses:
        lines.append(
            _line(
                f"public IPv4 addresses x{addresses}",
                addresses * HOURS_PER_MONTH,
                "address-hours",
                quote("public-ipv4", "address", region, True),
                "Elastic IPs, instances with a public address, one per zone of each internet-facing load balancer",
            )
        )
    lines.append(
        _line(
            "inter-region transfer out",
            ASSUMED_INTER_REGION_GB,
            "GB",
            quote("data-transfer", "inter-region-out", region),
            f"assumption: {ASSUMED_INTER_REGION_GB:g} GB a month of replication out of this region",
        )
    )
    return lines


def public_addresses(resources: list[dict[str, Any]]) -> int:
    eips = len(_of(resources, "aws:ec2/eip:Eip"))
    instances = sum(
        bool(i["props"].get("associatePublicIpAddress")) for i in _of(resources, "aws:ec2/instance:Instance")
    )
    facing = sum(
        len(b["props"].get("subnetMappings") or b["props"].get("subnets") or [])
        for b in _of(resources, "aws:lb/loadBalancer:LoadBalancer")
        if b["props"].get("internal") is False
    )
    return eips + instances + facing


def _storage(region: str, resources: list[dict[str, Any]]) -> list[Line]:
    # A node group names its launch template by id (the record's `id`, as the engine assigns it).
    templates = {str(t.get("id")): t for t in _of(resources, "aws:ec2/launchTemplate:LaunchTemplate")}
    gigabytes = 0.0
    for group in _of(resources, "aws:eks/nodeGroup:NodeGroup"):
        nodes = int((group["props"].get("scalingConfig") or {}).get("desiredSize", 0))
        template = templates.get(str((group["props"].get("launchTemplate") or {}).get("id")))
        gigabytes += nodes * _gp3_gigabytes((template or {}).get("props", {}).get("blockDeviceMappings") or [])
    for instance in _of(resources, "aws:ec2/instance:Instance"):
        root = instance["props"].get("rootBlockDevice") or {}
        if root.get("volumeType") == "gp3":
            gigabytes += float(root.get("volumeSize") or 0)
    if not gigabytes:
        return []
    return [
        _line(
            "EBS gp3 (node and router root volumes)", gigabytes, "GB-months", quote("ebs", "gp3-storage", region, True)
        )
    ]


def _gp3_gigabytes(mappings: list[dict[str, Any]]) -> float:
    return sum(
        float((m.get("ebs") or {}).get("volumeSize") or 0)
        for m in mappings
        if (m.get("ebs") or {}).get("volumeType") == "gp3"
    )


def _services(region: str, resources: list[dict[str, Any]]) -> list[Line]:
    lines = []
    keys = len(_of(resources, "aws:kms/key:Key"))
    if keys:
        lines.append(_line(f"KMS keys x{keys}", keys, "key-months", quote("kms", "key", region, True)))
    groups = len(_of(resources, "aws:cloudwatch/logGroup:LogGroup"))
    if groups:
        lines.append(
            _line(
                f"CloudWatch Logs ({groups} log groups)",
                groups * ASSUMED_LOG_GB_PER_GROUP,
                "GB ingested",
                quote("cloudwatch-logs", "ingested", region, True),
                f"assumption: {ASSUMED_LOG_GB_PER_GROUP:g} GB a month per log group",
            )
        )
    zones = len(_of(resources, "aws:route53/zone:Zone"))
    if zones:
        lines.append(
            _line(
                f"Route 53 hosted zones x{zones}", zones, "zone-months", quote("route53", "hosted-zone", region, True)
            )
        )
    checks = Counter(
        "health-check-https" if str(c["props"].get("type", "")).upper().startswith("HTTPS") else "health-check"
        for c in _of(resources, "aws:route53/healthCheck:HealthCheck")
    )
    for dimension, count in sorted(checks.items()):
        lines.append(
            _line(f"Route 53 {dimension} x{count}", count, "check-months", quote("route53", dimension, region, True))
        )
    return lines
