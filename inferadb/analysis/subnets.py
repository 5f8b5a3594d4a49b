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


# Ledger endpoints: per zone, a block of each private subnet is reserved (explicit subnet CIDR
# reservation) so EC2 never hands its addresses to pods or nodes; ordinal n's load balancer takes
# the block's n-th address in every zone. By default the block is the second-to-last /28 of the
# subnet: clear of the four addresses AWS keeps at the start of a subnet and of the last one.
ENDPOINT_BLOCK_PREFIX = 28
# Amazon VPC User Guide, "Subnet CIDR blocks": the first four and the last address of every subnet
# are not available to resources.
AWS_RESERVED_HEAD = 4  # network address, VPC router, DNS, future use
AWS_RESERVED_TAIL = 1  # the broadcast address


def default_endpoint_blocks(vpc_cidr: str, zones: int) -> tuple[str, ...]:
    """Each private subnet's second-to-last /28 (computed, not listed: a /19 holds 512 of them)."""
    size = 2 ** (32 - ENDPOINT_BLOCK_PREFIX)
    return tuple(
        str(
            ipaddress.IPv4Network(
                (int(ipaddress.IPv4Network(p).broadcast_address) + 1 - 2 * size, ENDPOINT_BLOCK_PREFIX)
            )
        )
        for p in private_cidrs(vpc_cidr, zones)
    )


def usable_in_subnet(subnet: str) -> tuple[ipaddress.IPv4Address, ipaddress.IPv4Address]:
    """The first and last address of `subnet` that AWS lets a resource take."""
    network = ipaddress.IPv4Network(subnet)
    return network[AWS_RESERVED_HEAD], network[-1 - AWS_RESERVED_TAIL]


def endpoint_address(block: str, ordinal: int) -> str:
    """The address ordinal `ordinal`'s load balancer takes in one zone's reserved block."""
    return str(ipaddress.IPv4Network(block)[ordinal])
