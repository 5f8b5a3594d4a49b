"""InferaDBRegion: everything one stack (one AWS region) runs, composed top to bottom."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi

from components.network import NetworkArgs, RegionNetwork
from components.tags import base_tags
from topology import Region, Topology


def cluster_name(region: Region) -> str:
    return f"inferadb-{region.id}"


@dataclass(frozen=True)
class RegionArgs:
    topology: Topology
    region: Region


class InferaDBRegion(pulumi.ComponentResource):
    network: RegionNetwork

    def __init__(self, name: str, args: RegionArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("inferadb:index:Region", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        region, topology = args.region, args.topology
        tags = base_tags(region.id, topology.environment)
        self.network = RegionNetwork(
            f"{region.id}-network",
            NetworkArgs(
                vpc_cidr=str(region.vpc_cidr),
                zones=region.availability_zones,
                cluster_name=cluster_name(region),
                nat_gateway_per_zone=topology.environment != "dev",
                flow_log_retention_days=365 if topology.environment == "production" else 30,
                tags=tags,
            ),
            child,
        )
        self.register_outputs({"vpc_id": self.network.vpc_id})
