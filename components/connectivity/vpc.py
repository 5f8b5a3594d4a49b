"""RegionNetwork: the VPC of one region, with public and private subnets in each of its zones."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components.connectivity.flow_logs import vpc_flow_logs
from components.shared.outputs import item
from components.shared.tags import named
from inferadb.analysis.subnets import SubnetPair, subnet_plan


@dataclass(frozen=True)
class NetworkArgs:
    vpc_cidr: str
    zones: int | tuple[str, ...]
    """Explicit zone names, or a count resolved against the account's available zones."""
    cluster_name: str
    nat_gateway_per_zone: bool
    """One NAT per zone keeps egress up when a zone fails; one shared NAT is cheaper (dev)."""
    flow_log_retention_days: int
    endpoint_blocks: tuple[str, ...]
    """Per zone, the block of its private subnet reserved for the Ledger endpoints."""
    logs_key_arn: pulumi.Input[str]
    tags: dict[str, str]
    reserve_endpoint_blocks: bool = True
    """An explicit subnet CIDR reservation per endpoint block; off only as the documented fallback."""


class RegionNetwork(pulumi.ComponentResource):
    vpc_id: pulumi.Output[str]
    private_subnet_ids: pulumi.Output[list[str]]
    public_subnet_ids: pulumi.Output[list[str]]
    private_route_table_ids: pulumi.Output[list[str]]
    private_route_tables: list[aws.ec2.RouteTable]

    def __init__(self, name: str, args: NetworkArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("inferadb:network:RegionNetwork", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        zone_names = self._zone_names(args)
        plan = subnet_plan(args.vpc_cidr, len(zone_names))
        vpc = aws.ec2.Vpc(
            f"{name}-vpc",
            cidr_block=args.vpc_cidr,
            enable_dns_support=True,
            enable_dns_hostnames=True,
            tags=named(args.tags, name),
            opts=child,
        )
        # Adopt the default security group and strip its rules: nothing may use it by accident.
        aws.ec2.DefaultSecurityGroup(
            f"{name}-default-sg",
            vpc_id=vpc.id,
            ingress=[],
            egress=[],
            tags=named(args.tags, f"{name}-default-deny"),
            opts=child,
        )
        vpc_flow_logs(
            name, vpc.id, args.cluster_name, args.flow_log_retention_days, args.logs_key_arn, args.tags, child
        )
        public = self._public_subnets(name, args, vpc, plan, zone_names, child)
        nats = self._nat_gateways(name, args, public, child)
        private, tables = self._private_subnets(name, args, vpc, plan, zone_names, nats, child)
        self.vpc_id = vpc.id
        self.public_subnet_ids = pulumi.Output.all(*[s.id for s in public])
        reservations = [
            aws.ec2.SubnetCidrReservation(
                f"{name}-ledger-endpoints-{zone}",
                subnet_id=subnet.id,
                cidr_block=block,
                reservation_type="explicit",
                description="InferaDB Ledger endpoints: load balancer addresses, never pods or nodes",
                opts=child,
            )
            for zone, (subnet, block) in enumerate(zip(private, args.endpoint_blocks, strict=True))
            if args.reserve_endpoint_blocks
        ]
        # Read through the reservations: the cluster and the nodes (whose VPC CNI hands subnet addresses
        # to pods) can only launch once the endpoint blocks are out of EC2's automatic assignment.
        # Without reservations (the fallback) the subnets are read directly and preflight watches the
        # addresses instead.
        self.private_subnet_ids = pulumi.Output.all(
            *([r.subnet_id for r in reservations] if reservations else [s.id for s in private])
        )
        self.private_route_table_ids = pulumi.Output.all(*[t.id for t in tables])
        self.private_route_tables = tables
        self.register_outputs(
            {
                "vpc_id": self.vpc_id,
                "private_subnet_ids": self.private_subnet_ids,
                "public_subnet_ids": self.public_subnet_ids,
                "private_route_table_ids": self.private_route_table_ids,
            }
        )

    def _zone_names(self, args: NetworkArgs) -> list[pulumi.Input[str]]:
        if isinstance(args.zones, tuple):
            return list(args.zones)
        # A count: take the first N zones this account can use (names differ per account).
        available = aws.get_availability_zones_output(
            state="available",
            filters=[{"name": "opt-in-status", "values": ["opt-in-not-required"]}],
            opts=pulumi.InvokeOutputOptions(parent=self),
        )
        return [available.names.apply(item(i)) for i in range(args.zones)]

    def _public_subnets(
        self,
        name: str,
        args: NetworkArgs,
        vpc: aws.ec2.Vpc,
        plan: list[SubnetPair],
        zones: list[pulumi.Input[str]],
        child: pulumi.ResourceOptions,
    ) -> list[aws.ec2.Subnet]:
        igw = aws.ec2.InternetGateway(f"{name}-igw", vpc_id=vpc.id, tags=named(args.tags, f"{name}-igw"), opts=child)
        table = aws.ec2.RouteTable(f"{name}-public", vpc_id=vpc.id, tags=named(args.tags, f"{name}-public"), opts=child)
        aws.ec2.Route(
            f"{name}-public-default",
            route_table_id=table.id,
            destination_cidr_block="0.0.0.0/0",
            gateway_id=igw.id,
            opts=child,
        )
        subnets = []
        for pair in plan:
            # No public IPs on launch: only NAT gateways (with their own EIPs) and load balancers live here.
            subnet = aws.ec2.Subnet(
                f"{name}-public-{pair.zone_index}",
                vpc_id=vpc.id,
                cidr_block=pair.public,
                availability_zone=zones[pair.zone_index],
                map_public_ip_on_launch=False,
                tags=named(
                    args.tags,
                    f"{name}-public-{pair.zone_index}",
                    **{"kubernetes.io/role/elb": "1", f"kubernetes.io/cluster/{args.cluster_name}": "shared"},
                ),
                opts=child,
            )
            aws.ec2.RouteTableAssociation(
                f"{name}-public-{pair.zone_index}", subnet_id=subnet.id, route_table_id=table.id, opts=child
            )
            subnets.append(subnet)
        return subnets

    def _nat_gateways(
        self, name: str, args: NetworkArgs, public: list[aws.ec2.Subnet], child: pulumi.ResourceOptions
    ) -> list[aws.ec2.NatGateway]:
        count = len(public) if args.nat_gateway_per_zone else 1
        nats = []
        for i in range(count):
            eip = aws.ec2.Eip(f"{name}-nat-{i}", domain="vpc", tags=named(args.tags, f"{name}-nat-{i}"), opts=child)
            nats.append(
                aws.ec2.NatGateway(
                    f"{name}-nat-{i}",
                    allocation_id=eip.id,
                    subnet_id=public[i].id,
                    tags=named(args.tags, f"{name}-nat-{i}"),
                    opts=child,
                )
            )
        return nats

    def _private_subnets(
        self,
        name: str,
        args: NetworkArgs,
        vpc: aws.ec2.Vpc,
        plan: list[SubnetPair],
        zones: list[pulumi.Input[str]],
        nats: list[aws.ec2.NatGateway],
        child: pulumi.ResourceOptions,
    ) -> tuple[list[aws.ec2.Subnet], list[aws.ec2.RouteTable]]:
        subnets, tables = [], []
        for pair in plan:
            i = pair.zone_index
            subnet = aws.ec2.Subnet(
                f"{name}-private-{i}",
                vpc_id=vpc.id,
                cidr_block=pair.private,
                availability_zone=zones[i],
                map_public_ip_on_launch=False,
                tags=named(
                    args.tags,
                    f"{name}-private-{i}",
                    **{"kubernetes.io/role/internal-elb": "1", f"kubernetes.io/cluster/{args.cluster_name}": "shared"},
                ),
                opts=child,
            )
            # One route table per zone: its default route stays in-zone, and peering routes
            # (connectivity) are added to every one of them as separate Route resources.
            table = aws.ec2.RouteTable(
                f"{name}-private-{i}", vpc_id=vpc.id, tags=named(args.tags, f"{name}-private-{i}"), opts=child
            )
            aws.ec2.Route(
                f"{name}-private-{i}-default",
                route_table_id=table.id,
                destination_cidr_block="0.0.0.0/0",
                nat_gateway_id=nats[i % len(nats)].id,
                opts=child,
            )
            aws.ec2.RouteTableAssociation(
                f"{name}-private-{i}", subnet_id=subnet.id, route_table_id=table.id, opts=child
            )
            subnets.append(subnet)
            tables.append(table)
        return subnets, tables
