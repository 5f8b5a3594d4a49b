"""The monthly estimate each stack writes (cost.json) and the estate's total, read from the plans."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest

import synth.cost
from inferadb.facts.prices import HOURS_PER_MONTH, quote
from synth.cost import estimate
from tests.recorded import StackPlan


def cost(stack: StackPlan) -> dict[str, Any]:
    document: dict[str, Any] = json.loads((stack.directory / "cost.json").read_text())
    return document


def line(document: dict[str, Any], starts: str) -> dict[str, Any]:
    (found,) = [entry for entry in document["lines"] if entry["item"].startswith(starts)]
    assert isinstance(found, dict)
    return found


def test_lines_add_up_and_every_priced_line_names_its_source(each_stack: StackPlan) -> None:
    document = cost(each_stack)
    priced = [entry for entry in document["lines"] if entry["monthly_usd"] is not None]
    assert document["total_usd"] == pytest.approx(sum(entry["monthly_usd"] for entry in priced), abs=0.01)
    assert all(entry["source"] and entry["price"] != "unknown" for entry in priced)
    for entry in priced:
        assert entry["monthly_usd"] == pytest.approx(entry["quantity"] * entry["unit_usd"], abs=0.01)


def test_each_node_group_is_priced_at_its_desired_size_for_730_hours(us_west_1: StackPlan) -> None:
    for group in us_west_1.of_type("aws:eks/nodeGroup:NodeGroup"):
        props = group["props"]
        entry = line(cost(us_west_1), f"EC2 {props['instanceTypes'][0]} x")
        if group["name"] not in entry["item"]:
            continue
        assert entry["quantity"] == props["scalingConfig"]["desiredSize"] * HOURS_PER_MONTH
        assert entry["unit_usd"] == quote("ec2", props["instanceTypes"][0], "us-west-1").price.usd  # type: ignore[union-attr]


def test_one_more_ledger_node_costs_exactly_that_node_for_730_hours(
    us_west_1: StackPlan, featured: dict[str, StackPlan]
) -> None:
    before = line(cost(us_west_1), "EC2 i4i.xlarge x3 (node group us-west-1-nodes-ledger)")
    after = line(cost(featured["us-west-1"]), "EC2 i4i.xlarge x4 (node group us-west-1-nodes-ledger)")
    node = quote("ec2", "i4i.xlarge", "us-west-1").price
    assert node is not None
    assert after["monthly_usd"] - before["monthly_usd"] == pytest.approx(node.usd * HOURS_PER_MONTH)  # type: ignore[operator]


def test_the_routers_the_nat_gateways_and_the_ledger_endpoints_are_priced(each_stack: StackPlan) -> None:
    document = cost(each_stack)
    routers = each_stack.of_type("aws:ec2/instance:Instance")
    assert len([e for e in document["lines"] if e["item"].startswith("EC2 t4g.small (")]) == len(routers)
    gateways = len(each_stack.of_type("aws:ec2/natGateway:NatGateway"))
    assert line(document, "NAT gateways")["quantity"] == gateways * HOURS_PER_MONTH
    balancers = len(each_stack.of_type("aws:lb/loadBalancer:LoadBalancer"))
    assert line(document, "network load balancers")["quantity"] == balancers * HOURS_PER_MONTH
    # Services have us-east-1 prices only: the line says so instead of pretending.
    assert line(document, "NAT gateways")["price"] == "us-east-1 price"
    assert "inter-region transfer out" in [e["item"] for e in document["lines"]]
    assert line(document, "inter-region transfer out")["note"].startswith("assumption:")


def test_an_instance_type_without_a_price_is_named_and_left_out_of_the_total(us_west_1: StackPlan) -> None:
    records = json.loads(json.dumps(us_west_1.resources))
    group = next(r for r in records if r["type"] == "aws:eks/nodeGroup:NodeGroup")
    group["props"]["instanceTypes"] = ["x2iedn.metal"]
    found = estimate("us-west-1", records)
    (unpriced,) = found.unpriced
    assert unpriced.startswith("EC2 x2iedn.metal")
    assert found.total_usd < estimate("us-west-1", us_west_1.resources).total_usd


def test_the_estate_total_is_the_sum_of_its_stacks(plan_dir: Any) -> None:
    summary = json.loads((plan_dir / "summary.json").read_text())
    monthly = summary["monthly_usd"]
    per_stack = [
        json.loads((plan_dir / s / "cost.json").read_text())["total_usd"] for s in ("us-west-1", "eu-central-1")
    ]
    assert monthly["estate"] == pytest.approx(sum(per_stack))
    assert [monthly["us-west-1"], monthly["eu-central-1"]] == per_stack


def test_a_cluster_in_extended_support_is_priced_at_the_extended_rate(
    us_west_1: StackPlan, monkeypatch: pytest.MonkeyPatch
) -> None:
    records = json.loads(json.dumps(us_west_1.resources))
    cluster = next(r for r in records if r["type"] == "aws:eks/cluster:Cluster")
    cluster["props"]["version"] = "1.34"  # standard support ended 2026-12-02
    monkeypatch.setattr(synth.cost, "today", lambda: datetime.date(2026, 12, 7))
    entry = next(e for e in estimate("us-west-1", records).lines if e.item.startswith("EKS control plane"))
    assert (entry.unit_usd, entry.note) == (0.60, "Kubernetes 1.34: extended support")
    monkeypatch.setattr(synth.cost, "today", lambda: datetime.date(2026, 12, 1))
    entry = next(e for e in estimate("us-west-1", records).lines if e.item.startswith("EKS control plane"))
    assert (entry.unit_usd, entry.note) == (0.10, "Kubernetes 1.34: standard support")
