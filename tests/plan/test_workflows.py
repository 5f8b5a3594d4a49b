"""The GitHub workflows: schema-valid, credential-free plan, previews with the pack, gated deploys."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import yaml

from synth.summary import summarize
from synth.targets import urns

ROOT = Path(__file__).resolve().parents[2]

WORKFLOWS = ROOT / ".github" / "workflows"


def workflow(name: str) -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load((WORKFLOWS / name).read_text())
    return document


def test_summary_counts_resources_violations_and_cost(plan_dir: Path) -> None:
    text = summarize(plan_dir)
    estate = json.loads((plan_dir / "summary.json").read_text())["monthly_usd"]
    resources = len(json.loads((plan_dir / "us-west-1" / "resources.json").read_text()))
    assert f"| us-west-1 | {resources} |" in text
    (row,) = [line for line in text.splitlines() if line.startswith("| us-west-1 |")]
    assert row.endswith(f"| {estate['us-west-1']:,.2f} |")
    assert f"| **estate** | | | | | **{estate['estate']:,.2f}** |" in text
    assert "### Changes against" not in text  # only a plan made with --diff has them


def test_summary_shows_the_changes_of_a_plan_made_with_diff(plan_dir: Path, tmp_path: Path) -> None:
    shutil.copytree(plan_dir, tmp_path / "plan")
    summary = json.loads((tmp_path / "plan" / "summary.json").read_text())
    summary["diff"] = {
        "against": "build-base",
        "stacks": [
            {
                "stack": "us-west-1",
                "added": ["urn:a"],
                "deleted": [],
                "changed": [{"urn": "urn:b", "inputs": ["instanceTypes"], "may_replace": ["instanceTypes"]}],
                "monthly_usd_delta": 275.94,
            }
        ],
    }
    (tmp_path / "plan" / "summary.json").write_text(json.dumps(summary))
    text = summarize(tmp_path / "plan")
    assert "### Changes against build-base" in text
    assert "| us-west-1 | 1 | 1 | 1 | 0 | +275.94 |" in text


def test_key_rotation_finds_every_key_by_its_engine_urn(plan_dir: Path) -> None:
    keys = urns(plan_dir / "us-west-1" / "resources.json", "tailscale:index/tailnetKey:TailnetKey")
    assert len(keys) == 1  # the Ledger pods' key (Engine has no tailnet identity)
    # The engine's URN form: qualified by the parent components, never by the root Stack.
    assert all(k.startswith("urn:pulumi:us-west-1::inferadb::inferadb:index:Region$") for k in keys)
