"""Cross-region connectivity, both modes: the shipped Tailscale topology and examples/peering.yaml."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from inferadb.facts.tailnet_acl import LEDGER_TAG
from inferadb.model.topology import load_topology
from tests.recorded import StackPlan

ROOT = Path(__file__).resolve().parents[2]

ACL = "tailscale:index/acl:Acl"

KEY = "tailscale:index/tailnetKey:TailnetKey"

PEERING = "aws:ec2/vpcPeeringConnection:VpcPeeringConnection"


def acl_document(stack: StackPlan) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(stack.one(ACL)["props"]["acl"])
    return document


def test_only_the_primary_owns_the_tailnet_policy(us_west_1: StackPlan, eu_central_1: StackPlan) -> None:
    acl = us_west_1.one(ACL)
    assert acl["protect"] is True
    assert acl["props"]["overwriteExistingContent"] is False
    assert acl["props"].get("resetAclOnDestroy") is False
    assert eu_central_1.of_type(ACL) == []


def test_policy_admits_only_ledger_to_ledger(us_west_1: StackPlan) -> None:
    # Engine dials only its own region's Ledger Service: no Engine identity on the tailnet.
    policy = acl_document(us_west_1)
    assert policy["tagOwners"] == {LEDGER_TAG: ["autogroup:admin"]}
    assert policy["acls"] == [{"action": "accept", "src": [LEDGER_TAG], "dst": [f"{LEDGER_TAG}:50051"]}]
    assert not any("*" in d for rule in policy["acls"] for d in rule["dst"])


def test_policy_tests_cover_every_rule_and_deny_the_rest(us_west_1: StackPlan) -> None:
    policy = acl_document(us_west_1)
    tests = {t["src"]: t for t in policy["tests"]}
    for rule in policy["acls"]:
        for src in rule["src"]:
            assert set(rule["dst"]) <= set(tests[src]["accept"])
            assert tests[src]["deny"], f"{src} has no deny test"
    assert f"{LEDGER_TAG}:22" in tests[LEDGER_TAG]["deny"]  # ledger to anything else is not allowed


def test_every_key_tag_is_owned_by_the_policy(us_west_1: StackPlan, eu_central_1: StackPlan) -> None:
    owners = acl_document(us_west_1)["tagOwners"]
    for stack in (us_west_1, eu_central_1):
        for key in stack.of_type(KEY):
            assert key["props"]["tags"]
            assert set(key["props"]["tags"]) <= set(owners)


def test_keys_are_tagged_preauthorized_with_explicit_expiry(each_stack: StackPlan) -> None:
    expiry = load_topology(ROOT / "topology.yaml").connectivity.auth_key_expiry_seconds  # type: ignore[union-attr]
    keys = {k["props"]["tags"][0]: k["props"] for k in each_stack.of_type(KEY)}
    assert set(keys) == {LEDGER_TAG}
    for props in keys.values():
        assert props["preauthorized"] is True
        assert props["expiry"] == expiry == 86400
        assert props["recreateIfInvalid"] == "always"
        assert props["reusable"] is True
    assert keys[LEDGER_TAG]["ephemeral"] is False


def test_keys_come_after_the_policy_that_declares_their_tags(us_west_1: StackPlan, eu_central_1: StackPlan) -> None:
    acl = us_west_1.one(ACL)
    assert all(acl["urn"] in key["dependencies"] for key in us_west_1.of_type(KEY))
    # Later regions wait on the primary's exported tags, read through the StackReference.
    reference = eu_central_1.one("pulumi:pulumi:StackReference")
    assert all(reference["urn"] in key["dependencies"] for key in eu_central_1.of_type(KEY))


def test_auth_keys_reach_kubernetes_only_as_redacted_secrets(each_stack: StackPlan) -> None:
    secrets = {s["props"]["metadata"]["name"]: s["props"] for s in each_stack.of_type("kubernetes:core/v1:Secret")}
    assert secrets["tailscale-auth"]["stringData"] == {"authkey": "[secret]"}
    assert "tailscale-auth-engine" not in secrets  # Engine has no tailnet identity
    for path in each_stack.directory.iterdir():
        assert "tskey-auth-synth" not in path.read_text(), path.name  # the mock key never leaks


def test_ledger_state_secrets_are_per_pod_and_the_role_is_limited_to_them(each_stack: StackPlan) -> None:
    state = [
        s
        for s in each_stack.of_type("kubernetes:core/v1:Secret")
        if s["props"]["metadata"]["name"].startswith("ts-state-")
    ]
    names = sorted(s["props"]["metadata"]["name"] for s in state)
    assert names == [f"ts-state-inferadb-ledger-{i}" for i in range(3)]
    assert all(s["ignoreChanges"] == ["data", "stringData"] for s in state)  # tailscaled owns the contents
    role = each_stack.one("kubernetes:rbac.authorization.k8s.io/v1:Role")["props"]
    assert role["rules"] == [
        {"apiGroups": [""], "resources": ["secrets"], "resourceNames": names, "verbs": ["get", "update", "patch"]}
    ]


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
    # Only the Ledger endpoints' group admits other regions (tests/plan/test_ledger_endpoints.py).
    for plan in peering.values():
        cluster = plan.exports["cluster_security_group_id"]
        rules = [r["props"] for r in plan.of_type("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")]
        assert not [r for r in rules if r["securityGroupId"] == cluster and r.get("cidrIpv4")]


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
