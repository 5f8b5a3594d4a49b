"""RegionNetwork as it would be deployed: subnets per zone, routing, tags, hygiene."""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Any

import pytest

from tests.recorded import StackPlan

SUBNET = "aws:ec2/subnet:Subnet"

ROUTE = "aws:ec2/route:Route"


def subnets(stack: StackPlan, tier: str) -> list[dict[str, Any]]:
    return [s for s in stack.of_type(SUBNET) if f"-{tier}-" in s["name"]]


@pytest.mark.parametrize(("stack_name", "zones"), [("us-west-1", 2), ("eu-central-1", 3)])
def test_one_public_and_one_private_subnet_per_zone(plan_dir: Path, stack_name: str, zones: int) -> None:
    stack = StackPlan(plan_dir / stack_name)
    for tier in ("public", "private"):
        placed = [s["props"]["availabilityZone"] for s in subnets(stack, tier)]
        assert len(placed) == zones
        assert len(set(placed)) == zones
        assert all(z.startswith(stack_name) for z in placed)


def test_us_west_1_uses_the_zones_the_account_offers(us_west_1: StackPlan) -> None:
    assert sorted(s["props"]["availabilityZone"] for s in subnets(us_west_1, "private")) == ["us-west-1a", "us-west-1c"]


def test_subnets_are_inside_the_vpc_and_disjoint(each_stack: StackPlan) -> None:
    vpc = ipaddress.IPv4Network(each_stack.one("aws:ec2/vpc:Vpc")["props"]["cidrBlock"])
    nets = [ipaddress.IPv4Network(s["props"]["cidrBlock"]) for s in each_stack.of_type(SUBNET)]
    assert all(n.subnet_of(vpc) for n in nets)
    assert not any(a.overlaps(b) for i, a in enumerate(nets) for b in nets[i + 1 :])


def test_no_subnet_hands_out_public_ips(each_stack: StackPlan) -> None:
    assert all(s["props"]["mapPublicIpOnLaunch"] is False for s in each_stack.of_type(SUBNET))


def test_subnets_carry_the_tags_eks_load_balancers_need(each_stack: StackPlan) -> None:
    cluster_tag = f"kubernetes.io/cluster/inferadb-{each_stack.directory.name}"
    for s in subnets(each_stack, "public"):
        assert s["props"]["tags"]["kubernetes.io/role/elb"] == "1"
        assert s["props"]["tags"][cluster_tag] == "shared"
    for s in subnets(each_stack, "private"):
        assert s["props"]["tags"]["kubernetes.io/role/internal-elb"] == "1"
        assert cluster_tag in s["props"]["tags"]


def test_private_subnets_leave_through_a_nat_in_their_own_zone(each_stack: StackPlan) -> None:
    associations = {
        a["props"]["subnetId"]: a["props"]["routeTableId"]
        for a in each_stack.of_type("aws:ec2/routeTableAssociation:RouteTableAssociation")
    }
    defaults = {
        r["props"]["routeTableId"]: r
        for r in each_stack.of_type(ROUTE)
        if r["props"]["destinationCidrBlock"] == "0.0.0.0/0"
    }
    for subnet in subnets(each_stack, "private"):
        route = defaults[associations[subnet["id"]]]
        nat = each_stack.by_id(route["props"]["natGatewayId"])
        nat_subnet = each_stack.by_id(nat["props"]["subnetId"])
        # Production: one NAT per zone, so losing a zone does not cut the other zones' egress.
        assert nat_subnet["props"]["availabilityZone"] == subnet["props"]["availabilityZone"]


def test_public_subnets_route_to_the_internet_gateway(each_stack: StackPlan) -> None:
    igw = each_stack.one("aws:ec2/internetGateway:InternetGateway")
    public_default = [r for r in each_stack.of_type(ROUTE) if r["props"].get("gatewayId") == igw["id"]]
    assert len(public_default) == 1
    assert public_default[0]["props"]["destinationCidrBlock"] == "0.0.0.0/0"


def test_exports_name_the_private_route_tables(each_stack: StackPlan) -> None:
    tables = {t["id"] for t in each_stack.of_type("aws:ec2/routeTable:RouteTable") if "-private-" in t["name"]}
    assert set(each_stack.exports["private_route_table_ids"]) == tables
    assert each_stack.exports["vpc_id"] == each_stack.one("aws:ec2/vpc:Vpc")["id"]
    assert len(each_stack.exports["private_subnet_ids"]) == len(tables)


def test_vpc_is_tagged_for_ownership(each_stack: StackPlan) -> None:
    tags = each_stack.one("aws:ec2/vpc:Vpc")["props"]["tags"]
    assert tags["inferadb:region"] == each_stack.directory.name
    assert tags["inferadb:environment"] == "production"
    assert tags["managed-by"] == "pulumi"


def test_every_aws_resource_uses_the_regions_explicit_provider(each_stack: StackPlan) -> None:
    provider = each_stack.one("pulumi:providers:aws")
    assert provider["props"]["region"] == each_stack.directory.name
    for resource in each_stack.resources:
        if resource["type"].startswith("aws:"):
            assert resource["provider"].startswith(provider["urn"] + "::"), resource["urn"]


def test_flow_logs_capture_all_vpc_traffic(each_stack: StackPlan) -> None:
    flow_log = each_stack.one("aws:ec2/flowLog:FlowLog")
    assert flow_log["props"]["vpcId"] == each_stack.one("aws:ec2/vpc:Vpc")["id"]
    assert flow_log["props"]["trafficType"] == "ALL"
    log_group = each_stack.by_id(flow_log["props"]["logDestination"].rsplit("/", 1)[-1])
    assert log_group["props"]["retentionInDays"] == 365


def test_default_security_group_allows_nothing(each_stack: StackPlan) -> None:
    default_sg = each_stack.one("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup")
    assert default_sg["props"]["ingress"] == []
    assert default_sg["props"]["egress"] == []


def test_subnets_depend_on_the_vpc(each_stack: StackPlan) -> None:
    vpc = each_stack.one("aws:ec2/vpc:Vpc")
    assert all(vpc["urn"] in s["dependencies"] for s in each_stack.of_type(SUBNET))


def test_the_reservation_fallback_drops_only_the_reservations(
    us_west_1: StackPlan, featured: dict[str, StackPlan]
) -> None:
    reservations = "aws:ec2/subnetCidrReservation:SubnetCidrReservation"
    assert len(us_west_1.of_type(reservations)) == 2  # explicit, one per zone
    fallback = featured["us-west-1"]  # ledger_endpoint_reservation: none
    assert fallback.of_type(reservations) == []
    assert len(featured["eu-central-1"].of_type(reservations)) == 3  # per region: the DR keeps them
    # The cluster and the load balancers still use the same private subnets and pinned addresses.
    cluster = fallback.one("aws:eks/cluster:Cluster")["props"]["vpcConfig"]["subnetIds"]
    assert cluster == fallback.exports["private_subnet_ids"]
    pinned = sorted(
        m["privateIpv4Address"]
        for b in fallback.of_type("aws:lb/loadBalancer:LoadBalancer")
        for m in b["props"].get("subnetMappings") or []
        if "privateIpv4Address" in m
    )
    shipped = sorted(
        m["privateIpv4Address"]
        for b in us_west_1.of_type("aws:lb/loadBalancer:LoadBalancer")
        for m in b["props"].get("subnetMappings") or []
        if "privateIpv4Address" in m
    )
    assert pinned == shipped
    assert pinned
