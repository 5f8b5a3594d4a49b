"""How long a `pulumi up` from nothing takes: the critical path through the recorded graph.

Typical creation times per resource type, in seconds. Sources: AWS EKS documentation and
observed runs (EKS control plane about 10 minutes, managed node group about 3 minutes including
node join, NAT gateway about 2 minutes, EKS add-ons about a minute, private hosted zone association
about a minute, peering acceptance seconds); Kubernetes rollouts are computed from the objects as
configured (probes, pod management, whether Pulumi awaits them). Unknown types count 5 s.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import cache
from typing import Any

CREATE_SECONDS: dict[str, float] = {
    "aws:eks/cluster:Cluster": 600,
    "aws:eks/nodeGroup:NodeGroup": 180,
    "aws:eks/addon:Addon": 60,
    "aws:ec2/natGateway:NatGateway": 120,
    "aws:ec2/vpc:Vpc": 5,
    "aws:ec2/subnet:Subnet": 5,
    "aws:ec2/internetGateway:InternetGateway": 5,
    "aws:ec2/eip:Eip": 3,
    "aws:ec2/route:Route": 2,
    "aws:ec2/routeTable:RouteTable": 2,
    "aws:ec2/routeTableAssociation:RouteTableAssociation": 2,
    "aws:ec2/flowLog:FlowLog": 5,
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": 3,
    "aws:ec2/launchTemplate:LaunchTemplate": 3,
    "aws:ec2/vpcPeeringConnection:VpcPeeringConnection": 5,
    "aws:ec2/vpcPeeringConnectionAccepter:VpcPeeringConnectionAccepter": 10,
    "aws:ec2/peeringConnectionOptions:PeeringConnectionOptions": 5,
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": 2,
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": 2,
    "aws:ec2/securityGroup:SecurityGroup": 3,
    "aws:ec2/subnetCidrReservation:SubnetCidrReservation": 3,
    "aws:lb/loadBalancer:LoadBalancer": 180,  # a network load balancer provisions in a few minutes
    "aws:lb/targetGroup:TargetGroup": 3,
    "aws:lb/listener:Listener": 3,
    "aws:autoscaling/attachment:Attachment": 5,
    "aws:route53/record:Record": 60,  # the change is INSYNC once every Route 53 server has it
    "aws:kms/key:Key": 5,
    "aws:kms/alias:Alias": 2,
    "aws:iam/role:Role": 3,
    "aws:iam/rolePolicy:RolePolicy": 2,
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": 2,
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider": 3,
    "aws:cloudwatch/logGroup:LogGroup": 2,
    "aws:eks/accessEntry:AccessEntry": 5,
    "aws:eks/accessPolicyAssociation:AccessPolicyAssociation": 5,
    "aws:route53/zone:Zone": 45,
    "aws:route53/zoneAssociation:ZoneAssociation": 60,
    "tailscale:index/acl:Acl": 2,
    "tailscale:index/tailnetKey:TailnetKey": 2,
    "random:index/randomPassword:RandomPassword": 0,
}
DEFAULT_SECONDS = 5.0
IMAGE_PULL_AND_START = 30.0  # pulling a cached-by-region image and starting the process


def kubernetes_seconds(props: dict[str, Any]) -> float:
    """A rollout as configured: not awaited (skipAwait) is instant; else start plus probes."""
    kind = props.get("kind")
    annotations = (props.get("metadata") or {}).get("annotations") or {}
    if annotations.get("pulumi.com/skipAwait") == "true":
        return 1.0
    if kind == "Job":
        return 120.0  # init waits for the Ledger pods to answer
    if kind not in ("Deployment", "StatefulSet", "DaemonSet"):
        return 1.0
    spec = props.get("spec") or {}
    containers = ((spec.get("template") or {}).get("spec") or {}).get("containers") or []
    probe = max((float((c.get("readinessProbe") or {}).get("periodSeconds", 10)) for c in containers), default=10.0)
    batches = spec.get("replicas", 1) if kind == "StatefulSet" and spec.get("podManagementPolicy") != "Parallel" else 1
    return float(batches) * (IMAGE_PULL_AND_START + 2 * probe)


def seconds_for(record: dict[str, Any]) -> float:
    if record["type"].startswith("pulumi:providers:"):
        return 0.0
    if record["type"].startswith("kubernetes:"):
        return kubernetes_seconds(record["props"])
    return CREATE_SECONDS.get(record["type"], DEFAULT_SECONDS)


@dataclass(frozen=True)
class DeployEstimate:
    seconds: float
    chain: list[tuple[str, float]]
    """The critical path, first resource first: (name, seconds)."""
    depth: int
    widest: int

    def describe(self) -> str:
        path = " -> ".join(f"{name} ({seconds:g} s)" for name, seconds in self.chain)
        return (
            f"estimated deploy: {self.seconds / 60:.0f} min; graph depth {self.depth}, widest level "
            f"{self.widest} resources (Pulumi's default parallelism is unbounded)\n  critical path: {path}"
        )


def dependency_graph(records: list[dict[str, Any]]) -> dict[str, set[str]]:
    """Custom resource -> the custom resources it waits for (components expanded, providers included)."""
    custom = {r["urn"] for r in records if r["custom"] and not r.get("read")}
    children: dict[str, list[str]] = {}
    for r in records:
        if r["parent"]:
            children.setdefault(r["parent"], []).append(r["urn"])

    def expand(urn: str) -> set[str]:
        if urn in custom:
            return {urn}
        return {leaf for child in children.get(urn, []) for leaf in expand(child)}

    graph: dict[str, set[str]] = {}
    for r in records:
        if r["urn"] in custom:
            waits = {leaf for dep in r["dependencies"] for leaf in expand(dep)}
            if r.get("provider"):
                waits |= expand(r["provider"].rsplit("::", 1)[0])
            graph[r["urn"]] = waits - {r["urn"]}
    return graph


def critical_path(records: list[dict[str, Any]]) -> DeployEstimate:
    by_urn = {r["urn"]: r for r in records}
    graph = dependency_graph(records)

    @cache
    def finish(urn: str) -> float:
        return seconds_for(by_urn[urn]) + max((finish(d) for d in graph[urn]), default=0.0)

    @cache
    def level(urn: str) -> int:
        return 1 + max((level(d) for d in graph[urn]), default=-1)

    if not graph:
        return DeployEstimate(0.0, [], 0, 0)
    # Ties go to the first URN in sorted order: the same graph always prints the same path.
    end = max(sorted(graph), key=finish)
    chain = [end]
    while graph[chain[-1]]:
        chain.append(max(sorted(graph[chain[-1]]), key=finish))
    levels = Counter(level(urn) for urn in graph)
    return DeployEstimate(
        finish(end),
        [
            (f"{by_urn[u]['type'].rsplit(':', 1)[-1]} {by_urn[u]['name']}", seconds_for(by_urn[u]))
            for u in reversed(chain)
        ],
        max(levels) + 1,
        max(levels.values()),
    )
