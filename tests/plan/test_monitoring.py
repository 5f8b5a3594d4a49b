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


def all_stacks(each_stack: StackPlan, peering: dict[str, StackPlan], witness: dict[str, StackPlan]) -> list[StackPlan]:
    return [each_stack, *peering.values(), *witness.values()]


def test_every_alert_reads_only_metrics_that_exist(
    each_stack: StackPlan, peering: dict[str, StackPlan], witness: dict[str, StackPlan]
) -> None:
    schema = load_topology(ROOT / "topology.yaml").images.build("ledger").schema
    known = LEDGER_METRICS[schema] | KUBE_STATE_METRICS
    for stack in all_stacks(each_stack, peering, witness):
        for name, rule in rules(stack).items():
            names = metric_names(rule["expr"])
            assert names, name
            assert names <= known, f"{name} reads {sorted(names - known)}, which nothing exports"


def test_every_alert_links_to_its_runbook_page(
    each_stack: StackPlan, peering: dict[str, StackPlan], witness: dict[str, StackPlan]
) -> None:
    for stack in all_stacks(each_stack, peering, witness):
        for name, rule in rules(stack).items():
            assert rule["annotations"]["runbook_url"] == (
                f"https://github.com/inferadb/deploy/blob/main/docs/runbooks/{name}.md"
            )
            page = ROOT / "docs" / "runbooks" / f"{name}.md"
            assert page.read_text().startswith(f"# Runbook: {name}\n"), name


def test_runbook_pages_are_only_for_alerts_that_exist(us_west_1: StackPlan) -> None:
    alerts = set(rules(us_west_1))  # the shipped primary raises every alert the program knows
    assert {p.stem for p in (ROOT / "docs" / "runbooks").glob("*.md")} == alerts


def test_quorum_thresholds_follow_the_topology(each_stack: StackPlan, witness: dict[str, StackPlan]) -> None:
    # Shipped: 3 + 3 voters, quorum 4. Losing every voter of one region breaks quorum.
    exprs = {name: rule["expr"] for name, rule in rules(each_stack).items()}
    assert exprs["LedgerPeersUnreachable"].endswith("+ 1 < 4")
    assert exprs["LedgerRegionBreaksQuorum"].endswith("< 1")
    # Witness layout 3 + 3 + 1, quorum 4: no single region's loss breaks quorum, so no such alert.
    for stack in witness.values():
        assert "LedgerRegionBreaksQuorum" not in rules(stack)
        assert rules(stack)["LedgerPeersUnreachable"]["expr"].endswith("+ 1 < 4")


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
