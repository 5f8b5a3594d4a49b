"""Every Ledger node's stable address, read from the recorded resources of the shipped (Tailscale),
peering and witness plans: JOIN literals pinned by load balancers in reserved blocks, names that
resolve to them, NodePort Services that reach exactly one pod, and nothing else opened."""

from __future__ import annotations

import ipaddress
from typing import Any

import pytest

from tests.recorded import StackPlan

STS = "kubernetes:apps/v1:StatefulSet"
SERVICE = "kubernetes:core/v1:Service"
LB = "aws:lb/loadBalancer:LoadBalancer"
LISTENER = "aws:lb/listener:Listener"
TARGETS = "aws:lb/targetGroup:TargetGroup"
ATTACHMENT = "aws:autoscaling/attachment:Attachment"
RESERVATION = "aws:ec2/subnetCidrReservation:SubnetCidrReservation"
RECORD = "aws:route53/record:Record"
INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"


def ledger_env(stack: StackPlan) -> dict[str, str]:
    sts = next(r for r in stack.of_type(STS) if r["props"]["metadata"]["name"] == "inferadb-ledger")
    container = next(c for c in sts["props"]["spec"]["template"]["spec"]["containers"] if c["name"] == "ledger")
    return {e["name"]: e.get("value", "") for e in container["env"]}


def pinned(stack: StackPlan) -> dict[str, dict[str, Any]]:
    """Address -> the load balancer that holds it."""
    return {m["privateIpv4Address"]: lb for lb in stack.of_type(LB) for m in lb["props"]["subnetMappings"]}


@pytest.fixture(params=["shipped", "peering", "witness"])
def plans(request: pytest.FixtureRequest) -> dict[str, StackPlan]:
    if request.param == "shipped":
        return {
            "us-west-1": request.getfixturevalue("us_west_1"),
            "eu-central-1": request.getfixturevalue("eu_central_1"),
        }
    stacks: dict[str, StackPlan] = request.getfixturevalue(request.param)
    return stacks


def test_every_join_seed_is_a_literal_pinned_by_a_load_balancer_listening_on_50051(
    plans: dict[str, StackPlan],
) -> None:
    holders = {address: (region, lb) for region, stack in plans.items() for address, lb in pinned(stack).items()}
    for region, stack in plans.items():
        seeds = ledger_env(stack)["INFERADB__LEDGER__JOIN"].split(",")
        assert len(seeds) == len(set(seeds))
        polled = set()
        for seed in seeds:
            host, port = seed.rsplit(":", 1)
            ipaddress.IPv4Address(host)  # a literal: Ledger drops host names
            assert port == "50051"
            owner, lb = holders[host]
            polled.add(owner)
            listener = plans[owner].one(LISTENER, name=lb["name"])
            assert lb["urn"] in listener["dependencies"]
            assert listener["props"]["port"] == 50051
        assert polled == set(plans)  # every region polls every region, its own included
        if stack.exports["role"] != "primary":
            assert polled - {region}


def test_every_endpoint_address_sits_in_an_explicit_reservation_of_its_subnet(plans: dict[str, StackPlan]) -> None:
    for stack in plans.values():
        reservations = {r["props"]["subnetId"]: r["props"] for r in stack.of_type(RESERVATION)}
        assert {r["reservationType"] for r in reservations.values()} == {"explicit"}
        for lb in stack.of_type(LB):
            props = lb["props"]
            assert props["internal"] is True
            assert props["loadBalancerType"] == "network"
            assert props["enableCrossZoneLoadBalancing"] is True
            assert lb["deleteBeforeReplace"] is True  # a replacement cannot take the address while it is held
            subnets = [m["subnetId"] for m in props["subnetMappings"]]
            assert sorted(subnets) == sorted(stack.exports["private_subnet_ids"])  # one address in every zone
            for mapping in props["subnetMappings"]:
                block = ipaddress.IPv4Network(reservations[mapping["subnetId"]]["cidrBlock"])
                assert ipaddress.IPv4Address(mapping["privateIpv4Address"]) in block


def test_nodes_launch_only_after_the_blocks_are_reserved(plans: dict[str, StackPlan]) -> None:
    for stack in plans.values():
        reservations = {r["urn"] for r in stack.of_type(RESERVATION)}
        for group in stack.of_type("aws:eks/nodeGroup:NodeGroup"):
            assert reservations <= set(group["dependencies"])


def test_each_load_balancer_reaches_exactly_its_ordinals_pod(plans: dict[str, StackPlan]) -> None:
    for region, stack in plans.items():
        sts = next(r for r in stack.of_type(STS) if r["props"]["metadata"]["name"] == "inferadb-ledger")["props"]
        pod_labels = sts["spec"]["template"]["metadata"]["labels"]
        services = {
            s["props"]["spec"]["ports"][0]["nodePort"]: s["props"]["spec"]
            for s in stack.of_type(SERVICE)
            if s["props"]["spec"].get("type") == "NodePort"
        }
        ledger_group = next(g for g in stack.of_type("aws:eks/nodeGroup:NodeGroup") if g["name"].endswith("-ledger"))
        lbs = sorted(stack.of_type(LB), key=lambda lb: lb["name"])
        assert len(lbs) == sts["spec"]["replicas"]
        for ordinal, lb in enumerate(lbs):
            assert lb["props"]["name"] == f"ledger-{region}-{ordinal}"
            targets = stack.one(TARGETS, name=lb["name"])["props"]
            assert targets["targetType"] == "instance"
            assert targets["preserveClientIp"] == "false"  # a node may dial its own address
            assert targets["healthCheck"]["protocol"] == "TCP"
            service = services[targets["port"]]
            selector = service["selector"]
            assert selector["statefulset.kubernetes.io/pod-name"] == f"inferadb-ledger-{ordinal}"
            assert {k: v for k, v in selector.items() if k != "statefulset.kubernetes.io/pod-name"}.items() <= (
                pod_labels.items()
            )
            assert service["publishNotReadyAddresses"] is True
            assert service["ports"][0]["targetPort"] == "grpc"
            attachment = stack.one(ATTACHMENT, name=lb["name"])
            assert attachment["props"]["autoscalingGroupName"].startswith(f"eks-{ledger_group['name']}-")


def test_advertise_names_resolve_to_their_load_balancers(plans: dict[str, StackPlan]) -> None:
    primary = next(s for s in plans.values() if s.exports["role"] == "primary")
    zone = primary.one("aws:route53/zone:Zone")
    for stack in plans.values():
        advertise = ledger_env(stack)["INFERADB__LEDGER__ADVERTISE"]
        records = {r["props"]["name"]: r["props"] for r in stack.of_type(RECORD)}
        lbs = sorted(stack.of_type(LB), key=lambda lb: lb["name"])
        for ordinal, lb in enumerate(lbs):
            name, port = advertise.replace("$(POD_INDEX)", str(ordinal)).rsplit(":", 1)
            assert port == "50051"
            record = records[name]
            assert record["type"] == "A"
            assert record["zoneId"] == zone["id"]
            assert sorted(record["records"]) == sorted(m["privateIpv4Address"] for m in lb["props"]["subnetMappings"])
        if stack is not primary:
            association = stack.one("aws:route53/zoneAssociation:ZoneAssociation")["props"]
            assert association["zoneId"] == zone["id"]


def test_only_ledger_traffic_reaches_the_endpoints_and_only_on_its_node_ports(plans: dict[str, StackPlan]) -> None:
    vpcs = [ipaddress.IPv4Network(s.exports["vpc_cidr"]) for s in plans.values()]
    for stack in plans.values():
        (endpoints_group,) = {g for lb in stack.of_type(LB) for g in lb["props"]["securityGroups"]}
        # Path MTU's ICMP answer (type 3 code 4) is admitted too; tests/plan/test_connectivity.py checks it.
        open_to_cidrs = [
            r["props"]
            for r in stack.of_type(INGRESS)
            if r["props"].get("cidrIpv4")
            and r["props"]["securityGroupId"] == endpoints_group
            and r["props"]["ipProtocol"] != "icmp"
        ]
        assert {(r["fromPort"], r["toPort"], r["ipProtocol"]) for r in open_to_cidrs} == {(50051, 50051, "tcp")}
        sources = [ipaddress.IPv4Network(r["cidrIpv4"]) for r in open_to_cidrs]
        for source in sources:  # private subnets of the regions, never a public range or 0.0.0.0/0
            assert any(source.subnet_of(vpc) and source != vpc for vpc in vpcs)
        assert all(any(source.subnet_of(vpc) for source in sources) for vpc in vpcs)  # every region may dial
        ports = sorted(
            s["props"]["spec"]["ports"][0]["nodePort"]
            for s in stack.of_type(SERVICE)
            if s["props"]["spec"].get("type") == "NodePort"
        )
        nodes = [r["props"] for r in stack.of_type(INGRESS) if r["props"].get("referencedSecurityGroupId")]
        # Besides the endpoints' group, only a Tailscale router's group is open to addresses: to
        # WireGuard from anywhere and to 50051 from its own region (tests/plan/test_connectivity.py).
        others = [
            r for r in stack.of_type(INGRESS) if r["props"].get("cidrIpv4") and r["props"]["ipProtocol"] != "icmp"
        ]
        routers = {i["props"]["vpcSecurityGroupIds"][0] for i in stack.of_type("aws:ec2/instance:Instance")}
        assert {r["props"]["securityGroupId"] for r in others} <= {endpoints_group, *routers}
        icmp = [r["props"] for r in stack.of_type(INGRESS) if r["props"]["ipProtocol"] == "icmp"]
        assert all((r["fromPort"], r["toPort"]) == (3, 4) for r in icmp)  # fragmentation needed, nothing else
        assert [(r["fromPort"], r["toPort"], r["referencedSecurityGroupId"]) for r in nodes] == [
            (ports[0], ports[-1], endpoints_group)
        ]
        (egress,) = [r["props"] for r in stack.of_type(EGRESS) if r["props"]["securityGroupId"] == endpoints_group]
        assert (egress["securityGroupId"], egress["fromPort"], egress["toPort"]) == (
            endpoints_group,
            ports[0],
            ports[-1],
        )
        assert egress["referencedSecurityGroupId"] == nodes[0]["securityGroupId"]
