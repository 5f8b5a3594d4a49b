"""The GitHub workflows: schema-valid, credential-free plan, previews with the pack, gated deploys."""

from __future__ import annotations

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


def test_summary_counts_resources_and_violations(plan_dir: Path) -> None:
    text = summarize(plan_dir)
    assert "| us-west-1 |" in text
    assert "| eu-central-1 |" in text


def test_key_rotation_finds_every_key_by_its_engine_urn(plan_dir: Path) -> None:
    keys = urns(plan_dir / "us-west-1" / "resources.json", "tailscale:index/tailnetKey:TailnetKey")
    assert len(keys) == 1  # the Ledger pods' key (Engine has no tailnet identity)
    # The engine's URN form: qualified by the parent components, never by the root Stack.
    assert all(k.startswith("urn:pulumi:us-west-1::inferadb::inferadb:index:Region$") for k in keys)
