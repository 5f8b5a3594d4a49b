"""Cross-region connectivity, both modes: the shipped Tailscale topology and examples/peering.yaml."""

from __future__ import annotations

import ipaddress
import json
from pathlib import Path
from typing import Any

import pytest

from inferadb.facts.tailnet_acl import ROUTER_TAG
from inferadb.model.topology import load_topology
from tests.recorded import StackPlan

ROOT = Path(__file__).resolve().parents[2]


def region(stack: StackPlan) -> str:
    return stack.directory.name


ACL = "tailscale:index/acl:Acl"

KEY = "tailscale:index/tailnetKey:TailnetKey"
PARAMETER = "aws:ssm/parameter:Parameter"
INSTANCE = "aws:ec2/instance:Instance"
INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"

PEERING = "aws:ec2/vpcPeeringConnection:VpcPeeringConnection"


def acl_document(stack: StackPlan) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(stack.one(ACL)["props"]["acl"])
    return document


def admits(policy: dict[str, Any], source: str, destination: str) -> bool:
    """Whether a grant lets `source` (an address or a host alias) open TCP to `destination` (ip:port)."""
    address = ipaddress.IPv4Address(policy["hosts"].get(source, source))
    host, port = destination.rsplit(":", 1)
    target = ipaddress.IPv4Address(host)
    return any(
        any(address in ipaddress.IPv4Network(s) for s in grant["src"])
        and any(target in ipaddress.IPv4Network(d) for d in grant["dst"])
        and f"tcp:{port}" in grant["ip"]
        for grant in policy["grants"]
    )


def test_only_the_primary_owns_the_tailnet_policy(us_west_1: StackPlan, eu_central_1: StackPlan) -> None:
    acl = us_west_1.one(ACL)
    assert acl["protect"] is True
    assert acl["props"]["overwriteExistingContent"] is False
    assert acl["props"].get("resetAclOnDestroy") is False
    assert eu_central_1.of_type(ACL) == []


@pytest.mark.parametrize("example", ["topology.yaml", "examples/witness.yaml"])
def test_policy_lets_each_regions_subnets_reach_only_the_other_regions_ledger_endpoints(
    example: str, us_west_1: StackPlan, witness: dict[str, StackPlan]
) -> None:
    topology = load_topology(ROOT / example)
    policy = acl_document(us_west_1 if example == "topology.yaml" else witness["us-west-1"])
    regions = topology.ordered_regions()
    assert "acls" not in policy
    assert policy["tagOwners"] == {ROUTER_TAG: ["autogroup:admin"]}
    assert policy["autoApprovers"] == {"routes": {c: [ROUTER_TAG] for r in regions for c in r.private_cidrs}}
    pairs = {(g["src"][0], g["dst"][0]) for g in policy["grants"]}
    assert len(pairs) == len(policy["grants"]) == len(regions) * (len(regions) - 1)
    for a in regions:
        node = str(ipaddress.IPv4Network(a.private_cidrs[-1])[100])  # any node address of the region
        for b in regions:
            for block in b.endpoint_blocks:
                endpoint = f"{ipaddress.IPv4Network(block)[1]}:50051"
                assert admits(policy, node, endpoint) is (a.id != b.id)
                assert not admits(policy, node, endpoint.replace(":50051", ":22"))
            outside = f"{ipaddress.IPv4Network(b.private_cidrs[0])[20]}:50051"  # a node, not an endpoint
            assert not admits(policy, node, outside)


def test_policy_tests_hold_on_the_policy_and_cover_every_pair(us_west_1: StackPlan) -> None:
    policy = acl_document(us_west_1)
    tests = policy["tests"]
    pairs, outsiders = [t for t in tests if "accept" in t], [t for t in tests if "accept" not in t]
    assert len(pairs) == len(policy["grants"])  # one accepted path per ordered pair of regions
    for test in pairs:
        assert test["deny"]
        assert all(admits(policy, test["src"], d) for d in test["accept"])
    for test in tests:
        assert not any(admits(policy, test["src"], d) for d in test["deny"])
    # Another tailnet device (an address of the tailnet's own range) reaches no region's endpoints.
    (outsider,) = outsiders
    assert ipaddress.IPv4Address(policy["hosts"][outsider["src"]]) in ipaddress.IPv4Network("100.64.0.0/10")
    assert len(outsider["deny"]) == 2


def test_every_key_tag_is_owned_by_the_policy(us_west_1: StackPlan, eu_central_1: StackPlan) -> None:
    owners = acl_document(us_west_1)["tagOwners"]
    for stack in (us_west_1, eu_central_1):
        for key in stack.of_type(KEY):
            assert key["props"]["tags"]
            assert set(key["props"]["tags"]) <= set(owners)


def test_only_the_router_has_a_key(each_stack: StackPlan) -> None:
    expiry = load_topology(ROOT / "topology.yaml").connectivity.auth_key_expiry_seconds  # type: ignore[union-attr]
    (key,) = [k["props"] for k in each_stack.of_type(KEY)]
    assert key["tags"] == [ROUTER_TAG]
    assert (key["preauthorized"], key["reusable"], key["ephemeral"]) == (True, True, False)
    assert key["expiry"] == expiry == 86400
    assert key["recreateIfInvalid"] == "always"


def test_keys_come_after_the_policy_that_declares_their_tags(us_west_1: StackPlan, eu_central_1: StackPlan) -> None:
    acl = us_west_1.one(ACL)
    assert all(acl["urn"] in key["dependencies"] for key in us_west_1.of_type(KEY))
    # Later regions wait on the primary's exported tags, read through the StackReference.
    reference = eu_central_1.one("pulumi:pulumi:StackReference")
    assert all(reference["urn"] in key["dependencies"] for key in eu_central_1.of_type(KEY))


def test_the_router_reads_its_key_from_a_secure_parameter_it_alone_may_read(each_stack: StackPlan) -> None:
    parameter = each_stack.one(PARAMETER)
    assert parameter["props"]["type"] == "SecureString"
    assert parameter["props"]["value"] == "[secret]"
    (key,) = each_stack.of_type(KEY)
    assert key["urn"] in parameter["dependencies"]
    for instance in routers(each_stack):  # one key for the region's routers
        assert parameter["props"]["name"] in instance["props"]["userData"]
    reader = each_stack.one("aws:iam/rolePolicy:RolePolicy", name=f"{region(each_stack)}-connectivity-router-read-key")
    assert parameter["urn"] in reader["dependencies"]
    statement, report = json.loads(reader["props"]["policy"])["Statement"]
    assert (statement["Effect"], statement["Action"]) == ("Allow", "ssm:GetParameter")
    assert statement["Resource"].startswith(f"arn:aws:ssm:{region(each_stack)}:")  # that parameter, never "*"
    # ...and may write nothing but its region's boot reports.
    assert (report["Effect"], report["Action"]) == ("Allow", "ssm:PutParameter")
    assert (
        report["Resource"]
        == f"arn:aws:ssm:{region(each_stack)}:*:parameter/inferadb/{region(each_stack)}/router-status/*"
    )
    for path in each_stack.directory.iterdir():
        assert "tskey-auth-synth" not in path.read_text(), path.name  # the mock key never leaks


def routers(stack: StackPlan) -> list[dict[str, Any]]:
    """The region's router instances in zone order (zone 0's keeps the one-router name)."""
    found = stack.of_type(INSTANCE)
    return sorted(found, key=lambda r: int(r["name"].rsplit("-", 1)[1]) if r["name"][-1].isdigit() else 0)


def test_each_zones_router_advertises_only_its_zone_unmasqueraded_from_a_public_address(each_stack: StackPlan) -> None:
    topology = load_topology(ROOT / "topology.yaml")
    own = topology.regions[region(each_stack)]
    instances = routers(each_stack)
    assert len(instances) == own.zone_count  # a router in every zone
    for zone, instance in enumerate(instances):
        props = instance["props"]
        assert props["sourceDestCheck"] is False
        assert props["subnetId"] == each_stack.exports["public_subnet_ids"][zone]
        assert props["associatePublicIpAddress"] is True
        assert props["metadataOptions"]["httpTokens"] == "required"
        assert props["rootBlockDevice"]["encrypted"] is True
        assert instance["ignoreChanges"] == ["ami"]
        boot = props["userData"]
        assert f"--advertise-routes={own.private_cidrs[zone]} " in boot  # its own zone's subnet only
        for flag in (
            "--snat-subnet-routes=false",
            "--accept-routes",
            "--stateful-filtering=false",
            "--accept-dns=false",
        ):
            assert flag in boot
        assert f"--advertise-tags={ROUTER_TAG}" in boot
        assert "--auth-key=file:" in boot
        assert "tailscale-1.84.3" in boot
    # Plain public addresses: three routers and three NAT gateways would pass the Elastic IP quota of 5.
    assert not [e for e in each_stack.of_type("aws:ec2/eip:Eip") if "router" in e["name"]]


def test_each_zones_table_sends_the_other_regions_to_its_own_zones_router(each_stack: StackPlan) -> None:
    topology = load_topology(ROOT / "topology.yaml")
    here = region(each_stack)
    instances = routers(each_stack)
    routes = [r for r in each_stack.of_type("aws:ec2/route:Route") if "networkInterfaceId" in r["props"]]
    others = {c for r in topology.ordered_regions() if r.id != here for c in r.private_cidrs}
    tables = each_stack.exports["private_route_table_ids"]
    assert {(r["props"]["routeTableId"], r["props"]["destinationCidrBlock"]) for r in routes} == {
        (t, c) for t in tables for c in others
    }
    for route in routes:
        zone = tables.index(route["props"]["routeTableId"])
        assert [i["urn"] for i in instances if i["urn"] in route["dependencies"]] == [instances[zone]["urn"]]


def test_the_router_group_opens_wireguard_and_forwards_only_ledger(each_stack: StackPlan) -> None:
    topology = load_topology(ROOT / "topology.yaml")
    own = topology.regions[region(each_stack)]
    (group,) = {g for i in routers(each_stack) for g in i["props"]["vpcSecurityGroupIds"]}

    def rules(kind: str) -> set[tuple[str, int, int, str]]:
        return {
            (r["props"]["ipProtocol"], r["props"]["fromPort"], r["props"]["toPort"], r["props"]["cidrIpv4"])
            for r in each_stack.of_type(kind)
            if r["props"]["securityGroupId"] == group
        }

    path_mtu = {("icmp", 3, 4, c) for c in own.private_cidrs}  # fragmentation needed, both ways
    assert (
        rules(INGRESS)
        == {("udp", 41641, 41641, "0.0.0.0/0")} | {("tcp", 50051, 50051, c) for c in own.private_cidrs} | path_mtu
    )
    assert (
        rules(EGRESS)
        == {("udp", 0, 65535, "0.0.0.0/0"), ("tcp", 443, 443, "0.0.0.0/0")}
        | {("tcp", 50051, 50051, b) for b in own.endpoint_blocks}
        | path_mtu
    )


def test_no_pod_runs_tailscale_or_a_proxy(each_stack: StackPlan) -> None:
    for manifest in each_stack.manifests:
        text = json.dumps(manifest)
        assert "tailscale" not in text.lower(), manifest["metadata"]["name"]
        assert "ALL_PROXY" not in text
        assert "HTTPS_PROXY" not in text
    assert not [s for s in each_stack.of_type("kubernetes:core/v1:Secret") if "ts-state" in s["name"]]


def test_every_pair_is_peered_once_by_the_later_region(peering: dict[str, StackPlan]) -> None:
    owned = {
        region: sorted(c["props"]["peerRegion"] for c in plan.of_type(PEERING)) for region, plan in peering.items()
    }
    assert owned == {"us-west-1": [], "eu-central-1": ["us-west-1"], "us-east-2": ["eu-central-1", "us-west-1"]}
    for region, plan in peering.items():
        own_provider = plan.one("pulumi:providers:aws", name=f"aws-{region}")["urn"]
        for connection in plan.of_type(PEERING):
            assert connection["provider"].startswith(own_provider)
            assert connection["props"]["autoAccept"] is False
            assert connection["props"]["peerVpcId"] == peering[connection["props"]["peerRegion"]].exports["vpc_id"]


def test_accepter_runs_with_the_peer_regions_provider(peering: dict[str, StackPlan]) -> None:
    plan = peering["us-east-2"]
    for accepter in plan.of_type("aws:ec2/vpcPeeringConnectionAccepter:VpcPeeringConnectionAccepter"):
        connection = plan.by_id(accepter["props"]["vpcPeeringConnectionId"])
        peer_provider = plan.one("pulumi:providers:aws", name=f"aws-{connection['props']['peerRegion']}")
        assert accepter["provider"].startswith(peer_provider["urn"])
        assert accepter["props"]["autoAccept"] is True


def test_routes_send_each_peers_private_subnets_from_every_private_route_table(
    peering: dict[str, StackPlan],
) -> None:
    topology = load_topology(ROOT / "examples" / "peering.yaml")
    plan = peering["us-east-2"]
    routes = [r for r in plan.of_type("aws:ec2/route:Route") if "vpcPeeringConnectionId" in r["props"]]
    for peer in ("us-west-1", "eu-central-1"):
        connection = next(c for c in plan.of_type(PEERING) if c["props"]["peerRegion"] == peer)
        through = [r["props"] for r in routes if r["props"]["vpcPeeringConnectionId"] == connection["id"]]
        for side, destinations in (
            (plan, topology.regions[peer].private_cidrs),
            (peering[peer], topology.regions["us-east-2"].private_cidrs),
        ):
            tables = set(side.exports["private_route_table_ids"])
            pairs = {(r["routeTableId"], r["destinationCidrBlock"]) for r in through if r["routeTableId"] in tables}
            assert pairs == {(t, d) for t in tables for d in destinations}  # the private subnets, never the VPC
    accepters = {a["urn"] for a in plan.of_type("aws:ec2/vpcPeeringConnectionAccepter:VpcPeeringConnectionAccepter")}
    assert all(accepters & set(r["dependencies"]) for r in routes)  # only once the peering is accepted


def test_peering_opens_nothing_on_the_cluster_group(peering: dict[str, StackPlan]) -> None:
    # Only the Ledger endpoints' group admits other regions' traffic (tests/plan/test_ledger_endpoints.py);
    # the nodes admit from address ranges only path MTU's ICMP answer.
    for plan in peering.values():
        cluster = plan.exports["cluster_security_group_id"]
        rules = [r["props"] for r in plan.of_type("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")]
        by_range = [r for r in rules if r["securityGroupId"] == cluster and r.get("cidrIpv4")]
        assert by_range
        assert all((r["ipProtocol"], r["fromPort"], r["toPort"]) == ("icmp", 3, 4) for r in by_range)


def test_dns_resolution_is_enabled_on_both_sides(peering: dict[str, StackPlan]) -> None:
    options = peering["eu-central-1"].of_type("aws:ec2/peeringConnectionOptions:PeeringConnectionOptions")
    sides = {next(iter(set(o["props"]) & {"requester", "accepter"})): o["props"] for o in options}
    assert sides["requester"]["requester"] == {"allowRemoteVpcDnsResolution": True}
    assert sides["accepter"]["accepter"] == {"allowRemoteVpcDnsResolution": True}


def test_one_private_zone_associated_with_every_vpc(peering: dict[str, StackPlan]) -> None:
    zone = peering["us-west-1"].one("aws:route53/zone:Zone")
    assert zone["props"]["name"] == "ledger.inferadb.internal"
    assert zone["ignoreChanges"] == ["vpcs"]
    for region in ("eu-central-1", "us-east-2"):
        association = peering[region].one("aws:route53/zoneAssociation:ZoneAssociation")
        assert association["props"]["zoneId"] == peering["us-west-1"].exports["ledger_zone_id"] == zone["id"]
        assert peering[region].of_type("aws:route53/zone:Zone") == []


def test_no_controller_publishes_ledger_names(peering: dict[str, StackPlan]) -> None:
    # Static records (the load balancers' pinned addresses) replace external-dns.
    for plan in peering.values():
        assert not [d for d in plan.of_type("kubernetes:apps/v1:Deployment") if "external-dns" in d["name"]]
        assert len(plan.of_type("aws:route53/record:Record")) == len(plan.of_type("aws:lb/loadBalancer:LoadBalancer"))


def test_no_tailscale_resources_under_peering(peering: dict[str, StackPlan]) -> None:
    for plan in peering.values():
        assert not [r for r in plan.resources if r["type"].startswith(("tailscale:", "pulumi:providers:tailscale"))]


ICMP_RULE = {"ipProtocol": "icmp", "fromPort": 3, "toPort": 4}


def icmp_sources(stack: StackPlan, group_name_part: str) -> set[str]:
    return {
        r["props"]["cidrIpv4"]
        for r in stack.of_type("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
        if group_name_part in r["name"] and {k: r["props"].get(k) for k in ICMP_RULE} == ICMP_RULE
    }


def test_nodes_and_endpoints_admit_fragmentation_needed_from_every_ledger_path(
    each_stack: StackPlan, peering: dict[str, StackPlan]
) -> None:
    # This VPC (its router, its load balancers) and every other region's private subnets.
    for stack in (each_stack, *peering.values()):
        region = stack.directory.name
        topology = load_topology(ROOT / ("topology.yaml" if stack is each_stack else "examples/peering.yaml"))
        own = topology.regions[region]
        expected = {str(own.vpc_cidr)} | {
            c for r in topology.ordered_regions() if r.id != region for c in r.private_cidrs
        }
        assert icmp_sources(stack, "ledger-endpoints-icmp-in") == expected, region
        assert icmp_sources(stack, "ledger-endpoints-nodes-icmp") == expected, region


def test_the_router_clamps_mss_across_reboots_and_exchanges_fragmentation_needed_with_its_nodes(
    each_stack: StackPlan,
) -> None:
    boot = routers(each_stack)[-1]["props"]["userData"]
    assert 'oifname "tailscale0" tcp flags syn tcp option maxseg size set rt mtu' in boot
    assert 'iifname "tailscale0" tcp flags syn tcp option maxseg size set 1240' in boot
    assert "systemctl enable --now inferadb-mss-clamp.service" in boot
    assert boot.index("inferadb-mss-clamp.service") < boot.index("tailscale up")
    own = load_topology(ROOT / "topology.yaml").regions[each_stack.directory.name]
    assert icmp_sources(each_stack, "router-in-icmp") == set(own.private_cidrs)
    egress = {
        r["props"]["cidrIpv4"]
        for r in each_stack.of_type("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule")
        if "router-out-icmp" in r["name"] and {k: r["props"].get(k) for k in ICMP_RULE} == ICMP_RULE
    }
    assert egress == set(own.private_cidrs)


def test_the_router_has_detailed_monitoring(each_stack: StackPlan) -> None:
    assert all(i["props"]["monitoring"] is True for i in routers(each_stack))


def test_each_router_is_rebooted_when_its_own_status_check_fails(each_stack: StackPlan) -> None:
    alarms = {
        a["props"]["dimensions"]["InstanceId"]: a for a in each_stack.of_type("aws:cloudwatch/metricAlarm:MetricAlarm")
    }
    for instance in routers(each_stack):
        alarm = alarms[instance["id"]]["props"]
        assert (alarm["metricName"], alarm["evaluationPeriods"], alarm["period"]) == (
            "StatusCheckFailed_Instance",
            3,
            60,
        )
        assert alarm["alarmActions"] == [f"arn:aws:automate:{region(each_stack)}:ec2:reboot"]


def test_routers_take_a_public_address_unless_the_topology_says_not(
    us_west_1: StackPlan, featured: dict[str, StackPlan]
) -> None:
    def routers(stack: StackPlan) -> list[dict[str, Any]]:
        return [r for r in stack.of_type("aws:ec2/instance:Instance") if "router" in r["name"]]

    def world_ingress(stack: StackPlan) -> list[str]:
        rules = stack.of_type("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
        return [r["name"] for r in rules if "router" in r["name"] and r["props"].get("cidrIpv4") == "0.0.0.0/0"]

    for router in routers(us_west_1):  # shipped: public, so regions' routers talk directly
        assert router["props"]["associatePublicIpAddress"] is True
        assert router["props"]["subnetId"] in us_west_1.exports["public_subnet_ids"]
    assert world_ingress(us_west_1) == ["us-west-1-connectivity-router-in-wireguard"]
    private = featured["us-west-1"]  # connectivity.router_public_address: false
    assert len(routers(private)) == len(routers(us_west_1))
    for router in routers(private):
        assert router["props"]["associatePublicIpAddress"] is False
        assert router["props"]["subnetId"] in private.exports["private_subnet_ids"]
    assert world_ingress(private) == []  # nothing admitted from the internet


def test_awsguard_sees_monitored_encrypted_routers_and_exactly_two_argued_exceptions(
    us_west_1: StackPlan,
) -> None:
    # AWSGuard's instance rules as pulumi/pulumi-policy-aws src/compute.ts (f2726ec) checks them.
    for router in [r for r in us_west_1.of_type("aws:ec2/instance:Instance") if "router" in r["name"]]:
        assert router["props"]["monitoring"] is True  # ec2-instance-detailed-monitoring-enabled
        assert router["props"]["rootBlockDevice"]["encrypted"] is True  # encrypted-volumes
    config = json.loads((ROOT / "policies" / "awsguard-config.json").read_text())
    assert config == {
        "ec2-instance-no-public-ip": {"enforcementLevel": "advisory"},
        "ec2-volume-inuse": {"enforcementLevel": "disabled"},
    }
    argued = (ROOT / "docs" / "policies.md").read_text()
    assert all(f"`{rule}`: an exception" in argued for rule in config)


def test_routers_roll_one_at_a_time_each_after_the_previous_reported_its_boot(each_stack: StackPlan) -> None:
    name = region(each_stack)
    ready = {r["name"]: r for r in each_stack.of_type("command:local:Command")}
    by_urn = {r["urn"]: r for r in each_stack.resources}
    instances = routers(each_stack)
    assert len(ready) == len(instances) > 1
    for zone, instance in enumerate(instances):
        wait = ready[f"{name}-connectivity-router-ready" + (f"-{zone}" if zone else "")]
        assert wait["dependencies"] == [instance["urn"]]
        hostname = f"inferadb-router-{name}" + (f"-{zone}" if zone else "")
        reported = f"/inferadb/{name}/router-status/{hostname}"
        # The deploy waits for this instance's own report, where its boot writes it.
        assert f"--name {reported} " in wait["props"]["create"]
        assert f'"{wait["props"]["triggers"][0]} "*' in wait["props"]["create"]
        assert f"ssm put-parameter --region {name} --name {reported} " in instance["props"]["userData"]
        assert instance["deleteBeforeReplace"] is True  # never two routers for one zone's subnet
        # The next zone's router waits for this one; this zone's routes move only once it is up.
        if zone + 1 < len(instances):
            assert wait["urn"] in instances[zone + 1]["dependencies"]
        routes = [
            r
            for r in each_stack.of_type("aws:ec2/route:Route")
            if r["name"].startswith(f"{name}-connectivity-router-route-{zone}-")
        ]
        assert routes
        assert all(wait["urn"] in r["dependencies"] for r in routes)
    assert not any(w["urn"] in instances[0]["dependencies"] for w in ready.values())  # the first waits for none
    assert all(by_urn[d]["type"] != "command:local:Command" for d in instances[0]["dependencies"])
