"""How a region's VPC range is carved into subnets: pure arithmetic on CIDRs."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass


@dataclass(frozen=True)
class SubnetPair:
    zone_index: int
    private: str
    public: str


def subnet_plan(vpc_cidr: str, zones: int) -> list[SubnetPair]:
    """Carve the VPC: one large private subnet per zone (pods take VPC addresses under the VPC
    CNI), and small public subnets (NAT gateways, load balancers) out of the last eighth."""
    vpc = ipaddress.IPv4Network(vpc_cidr)
    eighths = list(vpc.subnets(prefixlen_diff=3))
    publics = list(eighths[-1].subnets(prefixlen_diff=3))
    if zones > len(eighths) - 1:
        raise ValueError(f"{vpc_cidr} fits at most {len(eighths) - 1} zones")
    return [SubnetPair(i, str(eighths[i]), str(publics[i])) for i in range(zones)]


def private_cidrs(vpc_cidr: str, zones: int) -> tuple[str, ...]:
    """The private subnets of a region: where its nodes and pods take their addresses."""
    return tuple(pair.private for pair in subnet_plan(vpc_cidr, zones))
