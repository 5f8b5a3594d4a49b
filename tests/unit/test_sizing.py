"""Requests against node capacity: the capacity table, Ledger's default, rejections and warnings."""

from __future__ import annotations

import json
from typing import Any

import pytest

from inferadb.facts import capacity
from inferadb.facts.capacity import node_capacity
from inferadb.model.topology import parse_topology
from inferadb.plan.region import plan_region
from tests.unit.test_topology import rejects


def kube_reserved_cpu_m(vcpus: int) -> int:
    """nodeadm's getCPUMillicoresToReserve, written out again to check the table against it."""
    total, reserved = vcpus * 1000, 0
    for start, end, basis_points in ((0, 1000, 600), (1000, 2000, 100), (2000, 4000, 50), (4000, total, 25)):
        if total > start:
            reserved += (min(total, end) - start) * basis_points // 10000
    return reserved


def test_the_capacity_table_follows_the_node_bootstrap() -> None:
    rows = json.loads(capacity._DATA.read_text())["types"]
    assert len(rows) > 1000
    for name, (vcpus, memory, cpu, allocatable_memory, pods) in rows.items():
        assert cpu == vcpus * 1000 - kube_reserved_cpu_m(vcpus), name
        # never more than nodeadm leaves: memory less kube-reserved (11 MiB x pods + 255) and eviction
        assert allocatable_memory <= memory - (11 * pods + 255) - 100, name


def test_the_shipped_node_types_are_known() -> None:
    node = node_capacity("i4i.xlarge")
    assert node is not None
    assert (node.vcpus, node.memory_mib, node.allocatable_cpu_m, node.allocatable_memory_mib) == (4, 32768, 3920, 29317)
    assert node_capacity("m9z.large") is None


def test_ledger_gets_the_recommendation_cut_to_its_nodes(raw: dict[str, Any]) -> None:
    # i4i.xlarge: 3920m allocatable, less aws-node and kube-proxy (125m) and the provisioner (10m),
    # leaves 3785m: 3700m after rounding down; 8 GiB fits whole.
    plan = plan_region(parse_topology(raw), "us-west-1")
    assert plan.ledger.resources["requests"] == {"cpu": "3700m", "memory": "8Gi"}
    assert any("below its recommended 4 cores" in w for w in plan.warnings)


def test_a_larger_ledger_type_gets_the_full_recommendation(raw: dict[str, Any]) -> None:
    for region in raw["regions"].values():
        region["node_groups"]["ledger"]["instance_types"] = ["i4i.2xlarge"]
    plan = plan_region(parse_topology(raw), "us-west-1")
    assert plan.ledger.resources["requests"] == {"cpu": "4", "memory": "8Gi"}
    assert not any("Ledger gets" in w for w in plan.warnings)


@pytest.mark.parametrize(
    ("field", "value", "named"),
    [
        ("ledger", {"cpu": "4", "memory": "8Gi"}, "ledger.resources (4000m CPU"),
        ("ledger", {"cpu": "2", "memory": "30Gi"}, "regions.us-west-1.node_groups.ledger (i4i.xlarge has room for"),
        ("engine", {"cpu": "2", "memory": "2Gi"}, "workloads.engine_resources (2000m CPU"),
        ("control", {"cpu": "500m", "memory": "8Gi"}, "regions.us-west-1.node_groups.general (m6i.large"),
    ],
)
def test_a_request_no_node_of_its_pool_holds_is_rejected(
    raw: dict[str, Any], field: str, value: dict[str, str], named: str
) -> None:
    if field == "ledger":
        raw["ledger"]["resources"] = value
    else:
        raw["workloads"][f"{field}_resources"] = value
    rejects(raw, named, "lower the requests or add a larger type")


def test_a_mixed_pool_warns_about_its_small_types(raw: dict[str, Any]) -> None:
    raw["regions"]["us-west-1"]["node_groups"]["general"]["instance_types"] = ["m6i.xlarge", "m6i.large"]
    raw["regions"]["eu-central-1"]["node_groups"]["general"]["instance_types"] = ["m6i.xlarge"]
    raw["workloads"]["engine_resources"] = {"cpu": "3", "memory": "4Gi"}
    warnings = plan_region(parse_topology(raw), "us-west-1").warnings
    assert any(w.startswith("workloads.engine_resources does not fit m6i.large of") for w in warnings)


def test_unknown_types_are_named_not_silently_passed(raw: dict[str, Any]) -> None:
    raw["regions"]["us-west-1"]["node_groups"]["general"]["instance_types"] = ["m9z.large"]
    warnings = plan_region(parse_topology(raw), "us-west-1").warnings
    assert any("no capacity figures for m9z.large" in w for w in warnings)


def test_a_pool_too_small_for_every_replica_is_a_warning(raw: dict[str, Any]) -> None:
    raw["workloads"]["size"] = "large"  # 7 Engine x 1 CPU + 2 Control x 0.5 CPU on 3 m6i.large
    warnings = plan_region(parse_topology(raw), "us-west-1").warnings
    assert any("Engine and Control request 8000m CPU" in w and "raise desired_size" in w for w in warnings)
