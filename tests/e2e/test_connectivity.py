"""Cross-region connectivity, both modes: the shipped Tailscale topology and examples/peering.yaml."""

from __future__ import annotations

import json
from pathlib import Path

from tests.recorded import StackPlan, synth_in_process


def test_a_later_region_refuses_keys_before_the_policy_exists(tmp_path: Path, us_west_1: StackPlan) -> None:
    exports = {k: v for k, v in us_west_1.exports.items() if k != "tailnet_policy_tags"}
    (tmp_path / "us-west-1").mkdir()
    (tmp_path / "us-west-1" / "exports.json").write_text(json.dumps(exports))
    result = synth_in_process("--stack", "eu-central-1", "--out", tmp_path)
    assert result.returncode == 2
    assert "deploy the primary stack first" in result.stderr
