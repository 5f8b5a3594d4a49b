"""Alerts and scrape targets as recorded: every metric an alert reads is one something exports."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from inferadb.facts.metrics import KUBE_STATE_METRICS, LEDGER_METRICS
from inferadb.model.topology import load_topology
from tests.recorded import StackPlan

ROOT = Path(__file__).resolve().parents[2]
_PROMQL_WORDS = {"by", "without", "and", "or", "unless", "on", "ignoring", "group_left", "group_right", "bool"}


def metric_names(expr: str) -> set[str]:
    """The metric names a PromQL expression reads (not functions, keywords, labels or durations)."""
    bare = re.sub(r'"[^"]*"', "", expr)  # label values
    bare = re.sub(r"\{[^}]*\}", "", bare)  # matchers
    bare = re.sub(r"\[[^\]]*\]", "", bare)  # range durations
    bare = re.sub(r"\b(?:by|without|on|ignoring)\s*\([^)]*\)", "", bare)  # grouping labels
    names = re.findall(r"\b[A-Za-z_:][A-Za-z0-9_:]*\b(?!\s*\()", bare)
    return {n for n in names if n not in _PROMQL_WORDS and not re.fullmatch(r"\d+[smhd]?", n)}


def rules(stack: StackPlan) -> dict[str, dict[str, Any]]:
    manifest = next(m for m in stack.manifests if m["kind"] == "PrometheusRule")
    return {r["alert"]: r for g in manifest["spec"]["groups"] for r in g["rules"]}


def test_the_extractor_sees_every_name_and_nothing_else() -> None:
    expr = (
        'max by (pod, region) (a_used{namespace="x"} / a_total{namespace="x"}) > 0.8 '
        'and increase(b_total{c="d"}[30m]) > 2 unless on (pod) c_gauge'
    )
    assert metric_names(expr) == {"a_used", "a_total", "b_total", "c_gauge"}


def all_stacks(monitored: dict[str, StackPlan], witness: dict[str, StackPlan]) -> list[StackPlan]:
    """Every recorded stack that has monitoring objects (`install` on the shipped layout, `existing` on witness)."""
    return [*monitored.values(), *witness.values()]


def test_every_alert_reads_only_metrics_that_exist(
    monitored: dict[str, StackPlan], witness: dict[str, StackPlan]
) -> None:
    schema = load_topology(ROOT / "topology.yaml").images.build("ledger").schema
    known = LEDGER_METRICS[schema] | KUBE_STATE_METRICS
    for stack in all_stacks(monitored, witness):
        for name, rule in rules(stack).items():
            names = metric_names(rule["expr"])
            assert names, name
            assert names <= known, f"{name} reads {sorted(names - known)}, which nothing exports"


def test_every_alert_links_to_its_runbook_page(monitored: dict[str, StackPlan], witness: dict[str, StackPlan]) -> None:
    for stack in all_stacks(monitored, witness):
        for name, rule in rules(stack).items():
            assert rule["annotations"]["runbook_url"] == (
                f"https://github.com/inferadb/deploy/blob/main/docs/runbooks/{name}.md"
            )
            page = ROOT / "docs" / "runbooks" / f"{name}.md"
            assert page.read_text().startswith(f"# Runbook: {name}\n"), name


def test_runbook_pages_are_only_for_alerts_that_exist(monitored: dict[str, StackPlan]) -> None:
    alerts = set(rules(monitored["us-west-1"]))  # the shipped primary layout raises every alert the program knows
    assert {p.stem for p in (ROOT / "docs" / "runbooks").glob("*.md")} == alerts


@pytest.mark.parametrize("region", ["us-west-1", "eu-central-1"])
def test_quorum_thresholds_follow_the_topology(
    monitored: dict[str, StackPlan], witness: dict[str, StackPlan], region: str
) -> None:
    # Shipped layout: 3 + 3 voters, quorum 4. Losing every voter of one region breaks quorum.
    exprs = {name: rule["expr"] for name, rule in rules(monitored[region]).items()}
    assert exprs["LedgerRegionBreaksQuorum"].endswith("< 1")
    # Witness layout 3 + 3 + 1, quorum 4: no single region's loss breaks quorum, so no such alert.
    for stack in witness.values():
        assert "LedgerRegionBreaksQuorum" not in rules(stack)


def test_no_alert_reads_the_peer_connection_count(monitored: dict[str, StackPlan]) -> None:
    # ledger_node_connections_active is never decremented outside tests: it cannot show a dead peer.
    for stack in monitored.values():
        assert not any("connections_active" in rule["expr"] for rule in rules(stack).values())


@pytest.mark.parametrize("region", ["us-west-1", "us-east-2"])
def test_only_what_serves_metrics_is_scraped(witness: dict[str, StackPlan], region: str) -> None:
    stack = witness[region]
    monitors = {m["metadata"]["name"]: m for m in stack.manifests if m["kind"] == "ServiceMonitor"}
    expected = {"inferadb-ledger"} if region == "us-east-2" else {"inferadb-ledger", "inferadb-control"}
    assert set(monitors) == expected  # Engine serves no /metrics
    services = {m["metadata"]["name"]: m for m in stack.manifests if m["kind"] == "Service"}
    for monitor in monitors.values():
        port = monitor["spec"]["endpoints"][0]["port"]
        selected = [
            s
            for s in services.values()
            if monitor["spec"]["selector"]["matchLabels"].items() <= s["metadata"]["labels"].items()
        ]
        assert any(port in {p["name"] for p in s["spec"]["ports"]} for s in selected), monitor["metadata"]["name"]


MONITORING_API = "monitoring.coreos.com/v1"


def test_no_monitoring_object_without_the_operator(each_stack: StackPlan, peering: dict[str, StackPlan]) -> None:
    # mode none (the shipped default): a fresh cluster has no Prometheus operator CRDs to accept them.
    for stack in (each_stack, *peering.values()):
        assert not [m for m in stack.manifests if m.get("apiVersion") == MONITORING_API]
        assert stack.of_type("kubernetes:helm.sh/v3:Release") == []


def test_install_puts_the_operator_first_and_everything_else_after_it(monitored: dict[str, StackPlan]) -> None:
    for stack in monitored.values():
        release = stack.one("kubernetes:helm.sh/v3:Release")
        props = release["props"]
        assert (props["chart"], props["version"], props["name"]) == (
            "kube-prometheus-stack",
            "88.5.3",
            "kube-prometheus-stack",  # the `release` label the ServiceMonitors carry
        )
        assert props["repositoryOpts"]["repo"] == "https://prometheus-community.github.io/helm-charts"
        spec = props["values"]["prometheus"]["prometheusSpec"]
        assert spec["retention"] == "30d"
        claim = spec["storageSpec"]["volumeClaimTemplate"]["spec"]
        assert claim["storageClassName"] == "gp3"
        assert claim["resources"]["requests"]["storage"] == "100Gi"
        assert props["values"]["grafana"] == {"enabled": False}  # its chart defaults to a known admin password
        custom = [r for r in stack.resources if r["type"] == "kubernetes:monitoring.coreos.com/v1:ServiceMonitor"]
        custom += [r for r in stack.resources if r["type"] == "kubernetes:monitoring.coreos.com/v1:PrometheusRule"]
        assert custom
        assert all(release["urn"] in r["dependencies"] for r in custom)
        gp3 = next(
            s
            for s in stack.of_type("kubernetes:storage.k8s.io/v1:StorageClass")
            if s["props"]["metadata"]["name"] == "gp3"
        )
        assert gp3["props"]["parameters"] == {"type": "gp3", "encrypted": "true"}
        assert gp3["urn"] in release["dependencies"]
        driver = next(
            a for a in stack.of_type("aws:eks/addon:Addon") if a["props"]["addonName"] == "aws-ebs-csi-driver"
        )
        assert driver["props"]["serviceAccountRoleArn"]  # IRSA, with AmazonEBSCSIDriverPolicy
        assert driver["urn"] in release["dependencies"]
