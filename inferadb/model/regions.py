"""One region of the topology: its network range, zones, Kubernetes version and node groups."""

from __future__ import annotations

import ipaddress
from typing import Literal, Self

from pydantic import Field, field_validator, model_validator

from inferadb.analysis.subnets import default_endpoint_blocks, private_cidrs
from inferadb.facts.catalog import AWS_REGION_ZONES, LEDGER_REGIONS, architecture, has_local_nvme, is_instance_type
from inferadb.model.workloads import Count, StrictModel

RegionRole = Literal["primary", "dr", "witness"]
# EKS service quota "Nodes per managed node group": 450 by default (adjustable; raise this bound with it).
# docs.aws.amazon.com/eks/latest/userguide/service-quotas.html
MAX_NODES = 450
# The ranges a VPC of this product may use: RFC 1918, and RFC 6598's 100.64.0.0/10, which AWS allows
# (the topology rules keep it out under Tailscale, whose addresses it is). Never public, loopback or
# multicast space.
VPC_RANGES = tuple(ipaddress.IPv4Network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10"))


class NodeGroup(StrictModel):
    instance_types: tuple[str, ...] = Field(min_length=1, max_length=20)
    """Instance types of the group, one CPU architecture (Graviton types get the ARM AMI)."""
    min_size: Count = Field(ge=0, le=MAX_NODES)
    """Smallest node count (`min_size <= desired_size <= max_size`)."""
    desired_size: Count = Field(ge=1, le=MAX_NODES)
    """Node count. The Ledger pool's is applied on every update (one Ledger pod per node; it must hold
    the region's Ledger replicas); the general pool's is used at creation only, so an autoscaler may
    move it (change a live general pool with the autoscaler, or the console)."""
    max_size: Count = Field(ge=1, le=MAX_NODES)
    """Largest node count; the Ledger group's must hold one node per Ledger pod."""
    disk_size_gib: Count = Field(50, ge=20, le=1000)
    """Encrypted root volume size."""
    imds_hop_limit: Literal[1, 2] = 1
    """1 keeps pods off the node's instance credentials; 2 only if a pod truly needs IMDS."""

    @field_validator("instance_types")
    @classmethod
    def _known_types(cls, types: tuple[str, ...]) -> tuple[str, ...]:
        for name in types:
            if not is_instance_type(name):
                raise ValueError(f"{name!r} is not an EC2 instance type (family.size, e.g. m6i.large or i4i.2xlarge)")
        return types

    @model_validator(mode="after")
    def _one_architecture(self) -> Self:
        kinds = {architecture(t) for t in self.instance_types}
        if len(kinds) > 1:
            raise ValueError(
                f"instance_types mix architectures ({', '.join(sorted(kinds))}); one node group runs one AMI type, "
                f"so use one architecture per group"
            )
        return self

    @model_validator(mode="after")
    def _sizes_ordered(self) -> Self:
        if not self.min_size <= self.desired_size <= self.max_size:
            raise ValueError(
                f"sizes must satisfy min_size <= desired_size <= max_size, got "
                f"{self.min_size} / {self.desired_size} / {self.max_size}"
            )
        return self


class NodeGroups(StrictModel):
    ledger: NodeGroup
    """Ledger's pool: instance types with local NVMe only, tainted for Ledger."""
    general: NodeGroup | None = None
    """Engine and Control's pool; required except in a witness region."""

    @field_validator("ledger")
    @classmethod
    def _ledger_on_nvme(cls, group: NodeGroup) -> NodeGroup:
        for itype in group.instance_types:
            if not has_local_nvme(itype):
                raise ValueError(
                    f"instance type {itype} has no local NVMe instance store; Ledger needs one "
                    f"(i4i, i3en, i7ie, m6id, r6id, m7gd, ...)"
                )
        return group


class Region(StrictModel):
    id: str
    """The AWS region id (set from the map key)."""
    priority: Count = Field(ge=1, le=100)
    """1 is the primary; the order stacks deploy and fail over in (unique)."""
    role: RegionRole
    """Exactly one `primary` (the priority-1 region); a `witness` runs Ledger voters only."""
    vpc_cidr: ipaddress.IPv4Network
    """An IPv4 /16 to /20, disjoint from every other region (and from 100.64.0.0/10 under Tailscale)."""
    availability_zones: Count | tuple[str, ...]
    """A count takes the first N zones the account offers (us-west-1 offers 2); names pin them."""
    kubernetes_version: str = Field(pattern=r"^1\.\d{2}$")
    """EKS minor version, `1.NN`, one of the EKS release calendar (docs/deploying.md, "Kubernetes versions");
    outside standard support it needs `eks.allow_extended_support`."""
    ledger_jurisdiction: str
    """Ledger data region slug of the region's nodes (`us-west-or`, `de-central-frankfurt`, ..., `global`).
    Not data residency: Ledger 53c2112 replicates every data region to every voter of every region."""
    ledger_voting: bool = True
    """false: the region's Ledger nodes are not counted as voters."""
    ledger_endpoint_blocks: tuple[ipaddress.IPv4Network, ...] | None = None
    """One block per zone, in zone order, inside that zone's private subnet: reserved for the Ledger
    endpoints (ordinal n takes the block's n-th address). Default: the second-to-last /28 of each."""
    ledger_endpoint_reservation: Literal["explicit", "none"] = "explicit"
    """`explicit`: each block is an explicit subnet CIDR reservation, so EC2 never gives its addresses
    to nodes or pods. `none`, the fallback if your account refuses a load balancer address inside an
    explicit reservation (docs/connectivity.md, the sandbox check): no reservation, and preflight
    fails when something other than the Ledger endpoints holds one of their addresses."""
    node_groups: NodeGroups
    """The region's node groups."""

    @field_validator("id")
    @classmethod
    def _known_region(cls, region: str) -> str:
        if region not in AWS_REGION_ZONES:
            raise ValueError(f"'{region}' is not a known AWS region id (e.g. us-west-1, eu-central-1)")
        return region

    @field_validator("ledger_jurisdiction")
    @classmethod
    def _known_jurisdiction(cls, slug: str) -> str:
        if slug not in LEDGER_REGIONS:
            raise ValueError(f"'{slug}' is not a Ledger region; use one of {sorted(LEDGER_REGIONS)}")
        return slug

    @field_validator("vpc_cidr")
    @classmethod
    def _cidr_size(cls, cidr: ipaddress.IPv4Network) -> ipaddress.IPv4Network:
        if not 16 <= cidr.prefixlen <= 20:
            raise ValueError(f"{cidr} must be a /16 to /20 so every zone gets its subnets")
        if not any(cidr.subnet_of(block) for block in VPC_RANGES):
            raise ValueError(
                f"{cidr} is not a private range; use one inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16"
            )
        return cidr

    @model_validator(mode="after")
    def _zones_and_groups(self) -> Self:
        offered = AWS_REGION_ZONES[self.id]
        if isinstance(self.availability_zones, int):
            if not 1 <= self.availability_zones <= offered:
                raise ValueError(
                    f"availability_zones is {self.availability_zones} but {self.id} offers {offered} "
                    f"to most accounts; use at most {offered} or list the zone names"
                )
        else:
            names = self.availability_zones
            if not names or len(set(names)) != len(names):
                raise ValueError("availability_zones must list distinct zone names")
            if len(names) > offered:
                raise ValueError(
                    f"availability_zones lists {len(names)} zones but {self.id} offers {offered} to most accounts"
                )
            for zone in names:
                if not (zone.startswith(self.id) and len(zone) == len(self.id) + 1):
                    raise ValueError(f"availability_zones: '{zone}' is not a zone of {self.id}")
        if self.role != "witness" and self.node_groups.general is None:
            raise ValueError(
                f"node_groups.general is required for a '{self.role}' region (Engine and Control run there)"
            )
        return self

    @property
    def zone_count(self) -> int:
        zones = self.availability_zones
        return zones if isinstance(zones, int) else len(zones)

    @property
    def private_cidrs(self) -> tuple[str, ...]:
        return private_cidrs(str(self.vpc_cidr), self.zone_count)

    @property
    def endpoint_blocks(self) -> tuple[str, ...]:
        """The reserved Ledger endpoint block of each zone's private subnet, in zone order."""
        if self.ledger_endpoint_blocks is None:
            return default_endpoint_blocks(str(self.vpc_cidr), self.zone_count)
        return tuple(str(block) for block in self.ledger_endpoint_blocks)
