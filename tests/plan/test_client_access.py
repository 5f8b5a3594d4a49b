"""Control from outside its cluster (`control.access`): TLS only, a healthy region by DNS."""

from __future__ import annotations

from typing import Any

from tests.recorded import StackPlan

LISTENER, RECORD = "aws:lb/listener:Listener", "aws:route53/record:Record"


def access_records(stack: StackPlan) -> list[dict[str, Any]]:
    return [r["props"] for r in stack.of_type(RECORD) if r["props"].get("name") == "app.example.com"]


def test_off_by_default(each_stack: StackPlan) -> None:
    assert not [r for r in each_stack.resources if r["type"] == "inferadb:network:ClientAccess"]
    assert not [s for s in each_stack.manifests if s["metadata"]["name"] == "inferadb-control-public"]


def test_control_is_served_over_tls_only_with_a_validated_certificate(
    client_access: dict[str, dict[str, StackPlan]],
) -> None:
    for stack in client_access["public"].values():
        (listener,) = [
            r for r in stack.of_type(LISTENER) if r["props"]["port"] != 50051
        ]  # the Ledger endpoints keep 50051
        props = listener["props"]
        assert (props["port"], props["protocol"]) == (443, "TLS")
        validation = stack.one("aws:acm/certificateValidation:CertificateValidation")
        assert validation["urn"] in listener["dependencies"]
        certificate = stack.one("aws:acm/certificate:Certificate")["props"]
        assert (certificate["domainName"], certificate["validationMethod"]) == ("app.example.com", "DNS")
        (lb,) = [
            b for b in stack.of_type("aws:lb/loadBalancer:LoadBalancer") if b["props"]["name"].startswith("control-")
        ]
        assert lb["props"]["internal"] is False
        assert set(lb["props"]["subnets"]) == set(stack.exports["public_subnet_ids"])


def test_dns_sends_users_to_the_primary_and_fails_over_by_health(
    client_access: dict[str, dict[str, StackPlan]],
) -> None:
    roles = {}
    for region, stack in client_access["public"].items():
        (record,) = access_records(stack)
        roles[region] = record["failoverRoutingPolicies"][0]["type"]
        assert record["setIdentifier"] == region
        assert record["healthCheckId"]
        health = stack.one("aws:route53/healthCheck:HealthCheck")["props"]
        assert (health["type"], health["resourcePath"], health["port"]) == ("HTTPS", "/readyz", 443)
    assert roles == {"us-west-1": "PRIMARY", "eu-central-1": "SECONDARY"}


def test_an_internal_load_balancer_is_judged_by_an_alarm_and_routed_by_latency(
    client_access: dict[str, dict[str, StackPlan]],
) -> None:
    for region, stack in client_access["internal"].items():
        health = stack.one("aws:route53/healthCheck:HealthCheck")["props"]
        assert health["type"] == "CLOUDWATCH_METRIC"  # Route 53's checkers cannot reach an internal NLB
        alarm = next(
            a
            for a in stack.of_type("aws:cloudwatch/metricAlarm:MetricAlarm")
            if a["props"]["metricName"] == "HealthyHostCount"
        )
        assert (alarm["props"]["comparisonOperator"], alarm["props"]["threshold"]) == ("LessThanThreshold", 1)
        assert health["cloudwatchAlarmRegion"] == region
        (record,) = access_records(stack)
        assert record["latencyRoutingPolicies"] == [{"region": region}]


def test_the_load_balancer_reaches_controls_pods_through_a_nodeport_the_netpol_admits(
    client_access: dict[str, dict[str, StackPlan]],
) -> None:
    stack = client_access["public"]["us-west-1"]
    (service,) = [m for m in stack.manifests if m["metadata"]["name"] == "inferadb-control-public"]
    assert service["spec"]["type"] == "NodePort"
    assert service["spec"]["ports"] == [{"name": "http", "port": 9090, "targetPort": "http", "nodePort": 30990}]
    control = next(
        m for m in stack.manifests if m["kind"] == "StatefulSet" and m["metadata"]["name"] == "inferadb-control"
    )
    labels = control["spec"]["template"]["metadata"]["labels"]
    assert service["spec"]["selector"].items() <= labels.items()
    targets = stack.one("aws:lb/targetGroup:TargetGroup", name="us-west-1-client-access-targets")["props"]
    assert (targets["port"], targets["healthCheck"]["path"]) == (30990, "/readyz")
    policy = next(m for m in stack.manifests if m["kind"] == "NetworkPolicy" and m["metadata"]["name"] == "control")
    sources = [s["ipBlock"]["cidr"] for s in policy["spec"]["ingress"][0]["from"] if "ipBlock" in s]
    assert sources  # the nodes' subnets: kube-proxy masquerades NodePort traffic
