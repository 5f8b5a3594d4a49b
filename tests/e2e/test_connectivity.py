"""Cross-region connectivity, both modes: the shipped Tailscale topology and examples/peering.yaml."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from inferadb.model.topology import load_topology
from tests.recorded import StackPlan, synth_in_process

ROOT = Path(__file__).resolve().parents[2]


def test_a_later_region_refuses_keys_before_the_policy_exists(tmp_path: Path, us_west_1: StackPlan) -> None:
    exports = {k: v for k, v in us_west_1.exports.items() if k != "tailnet_policy_tags"}
    (tmp_path / "us-west-1").mkdir()
    (tmp_path / "us-west-1" / "exports.json").write_text(json.dumps(exports))
    result = synth_in_process("--stack", "eu-central-1", "--out", tmp_path)
    assert result.returncode == 2
    assert "deploy the primary stack first" in result.stderr


def test_a_shared_tailnet_gets_its_base_policy_back_with_our_rules(tmp_path: Path) -> None:
    raw = yaml.safe_load((ROOT / "topology.yaml").read_text())
    raw["connectivity"]["policy_base"] = "tailnet-policy.json"
    sre = {"action": "accept", "src": ["group:sre"], "dst": ["tag:ci:443"]}
    base: dict[str, Any] = {"groups": {"group:sre": ["alice@example.com"]}, "acls": [sre]}
    (tmp_path / "tailnet-policy.json").write_text(json.dumps(base))
    (tmp_path / "topology.yaml").write_text(yaml.safe_dump(raw))
    result = synth_in_process(
        "--stack", "us-west-1", "--topology", tmp_path / "topology.yaml", "--out", tmp_path / "out"
    )
    assert result.returncode == 0, result.stderr
    acl = StackPlan(tmp_path / "out" / "us-west-1").one("tailscale:index/acl:Acl")["props"]
    written = json.loads(acl["acl"])
    assert written["groups"] == base["groups"]
    assert sre in written["acls"]
    west = load_topology(ROOT / "topology.yaml").regions["us-west-1"].private_cidrs
    assert {
        "src": list(west),
        "dst": ["10.20.31.224/28", "10.20.63.224/28", "10.20.95.224/28"],
        "ip": ["tcp:50051"],
    } in (written["grants"])
    assert written["autoApprovers"]["routes"]["10.20.0.0/19"] == ["tag:inferadb-router"]
    assert acl["overwriteExistingContent"] is True  # safe: the merge keeps all of the base


def test_a_missing_base_policy_stops_before_anything_is_written(tmp_path: Path) -> None:
    raw = yaml.safe_load((ROOT / "topology.yaml").read_text())
    raw["connectivity"]["policy_base"] = "missing.json"
    (tmp_path / "topology.yaml").write_text(yaml.safe_dump(raw))
    result = synth_in_process("--all", "--topology", tmp_path / "topology.yaml", "--out", tmp_path / "out")
    assert result.returncode == 2
    assert "connectivity.policy_base" in result.stderr
    assert not (tmp_path / "out").exists()
