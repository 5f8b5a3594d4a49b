"""Security-group rules as this program writes them: one rule per resource, TCP or UDP with a port
range or ICMP with (type, code), and exactly one peer (a CIDR or another group), each tagged with its
name."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import pulumi
import pulumi_aws as aws

from components.shared.tags import named
from inferadb.facts.path_mtu import ICMP_DESTINATION_UNREACHABLE, ICMP_FRAGMENTATION_NEEDED


@dataclass(frozen=True)
class Rule:
    label: str
    direction: Literal["in", "out"]
    protocol: Literal["tcp", "udp", "icmp"]
    ports: tuple[int, int]
    """A port range; for ICMP, (type, code) as the EC2 API takes them in from_port and to_port."""
    peer: pulumi.Input[str]
    """A CIDR, or a security group id when `peer_is_group`."""
    description: str
    peer_is_group: bool = False


def add_rules(
    name: str, group_id: pulumi.Input[str], rules: list[Rule], tags: dict[str, str], opts: pulumi.ResourceOptions
) -> None:
    for rule in rules:
        low, high = rule.ports
        peer = {"referenced_security_group_id" if rule.peer_is_group else "cidr_ipv4": rule.peer}
        kind = aws.vpc.SecurityGroupIngressRule if rule.direction == "in" else aws.vpc.SecurityGroupEgressRule
        kind(
            f"{name}-{rule.label}",
            security_group_id=group_id,
            ip_protocol=rule.protocol,
            from_port=low,
            to_port=high,
            description=rule.description,
            tags=named(tags, f"{name}-{rule.label}"),
            opts=opts,
            **peer,
        )


def fragmentation_needed(label: str, direction: Literal["in", "out"], cidrs: tuple[str, ...]) -> list[Rule]:
    """ICMP type 3 code 4 to or from each CIDR: path MTU discovery's answer, which a security group
    drops unless a rule admits it (EC2 user guide, "Path MTU Discovery")."""
    return [
        Rule(
            f"{label}-{i}",
            direction,
            "icmp",
            (ICMP_DESTINATION_UNREACHABLE, ICMP_FRAGMENTATION_NEEDED),
            cidr,
            f"Path MTU: fragmentation needed, {cidr}",
        )
        for i, cidr in enumerate(cidrs)
    ]
