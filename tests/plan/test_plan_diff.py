"""`synth --diff`: what one plan changes against another, read from two recorded plans."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from inferadb.facts.prices import HOURS_PER_MONTH, quote
from synth.diff import DiffError, diff_plans
from tests.recorded import StackPlan, synth_in_process


def test_a_bigger_pool_and_new_features_show_as_changes_additions_and_cost(
    plan_dir: Path, featured: dict[str, StackPlan]
) -> None:
    now = featured["us-west-1"].directory.parent
    (west, _) = diff_plans(plan_dir, now, ["us-west-1", "eu-central-1"])
    ledger = next(c for c in west.changed if c.urn.endswith("::us-west-1-nodes-ledger"))
    assert ledger.inputs == ["scalingConfig"]
    assert ledger.may_replace == []  # a new desired size is an update in place
    assert any("aws:acm/certificate:Certificate" in urn for urn in west.added)
    # Routers without a public address: the world's WireGuard rule goes, each router moves subnet;
    # the endpoint reservations go too (the fallback).
    assert sorted(urn.rsplit("::", 1)[1] for urn in west.deleted) == [
        "us-west-1-connectivity-router-in-wireguard",
        "us-west-1-network-ledger-endpoints-0",
        "us-west-1-network-ledger-endpoints-1",
    ]
    router = next(c for c in west.changed if c.urn.endswith("::us-west-1-connectivity-router-instance"))
    assert set(router.may_replace) == {"subnetId"}
    assert west.cost_delta is not None
    assert west.cost_delta > 0
    node = quote("ec2", "i4i.xlarge", "us-west-1").price
    assert node is not None
    assert west.cost_delta >= node.usd * HOURS_PER_MONTH  # type: ignore[operator]


def test_a_changed_instance_type_may_replace_the_pool(plan_dir: Path, tmp_path: Path) -> None:
    earlier, now = tmp_path / "earlier", tmp_path / "now"
    shutil.copytree(plan_dir / "us-west-1", earlier / "us-west-1")
    shutil.copytree(plan_dir / "us-west-1", now / "us-west-1")
    records = json.loads((now / "us-west-1" / "resources.json").read_text())
    pool = next(r for r in records if r["type"] == "aws:eks/nodeGroup:NodeGroup" and r["name"].endswith("ledger"))
    pool["props"]["instanceTypes"] = ["i4i.2xlarge"]
    gone = records.pop(next(i for i, r in enumerate(records) if r["type"] == "aws:kms/alias:Alias"))
    (now / "us-west-1" / "resources.json").write_text(json.dumps(records))
    (west,) = diff_plans(earlier, now, ["us-west-1"])
    (change,) = west.changed
    assert change.may_replace == ["instanceTypes"]
    assert west.deleted == [gone["urn"]]
    assert "MAY REPLACE (instanceTypes)" in "\n".join(west.render())


def test_an_earlier_plan_that_is_not_one_is_bad_input(tmp_path: Path, plan_dir: Path) -> None:
    with pytest.raises(DiffError, match="no such directory"):
        diff_plans(tmp_path / "nothing", plan_dir, ["us-west-1"])
    result = synth_in_process("--all", "--out", tmp_path / "out", "--diff", tmp_path / "nothing")
    assert result.returncode == 2
    assert "--diff" in result.stderr
    assert not (tmp_path / "out").exists()


def test_a_plan_with_an_unpriced_line_has_no_cost_difference(plan_dir: Path, tmp_path: Path) -> None:
    earlier, now = tmp_path / "earlier", tmp_path / "now"
    shutil.copytree(plan_dir / "us-west-1", earlier / "us-west-1")
    shutil.copytree(plan_dir / "us-west-1", now / "us-west-1")
    cost = json.loads((now / "us-west-1" / "cost.json").read_text())
    cost["total_usd"] -= 827.82
    cost["unpriced"] = ["EC2 x9.large x3 (node group us-west-1-nodes-ledger)"]
    (now / "us-west-1" / "cost.json").write_text(json.dumps(cost))
    (west,) = diff_plans(earlier, now, ["us-west-1"])
    assert west.cost_delta is None  # a cheaper-looking total that only lost a line is no saving
    assert "not comparable (not priced: EC2 x9.large" in west.render()[0]
