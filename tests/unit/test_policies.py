"""Every rule passes on the shipped topology's output and fails on a minimal mutation that breaks it."""

from __future__ import annotations

import runpy
from pathlib import Path
from typing import Any

import pulumi_policy
import pytest
from pulumi_policy import EnforcementLevel

from policies.pack import PACK_NAME, POLICIES
from policies.recorded import RULES as RECORDED_RULES
from tests.mutations import MUTATIONS

ROOT = Path(__file__).resolve().parents[2]


def rule_names() -> list[str]:
    return [p.name for p in POLICIES] + [r.name for r in RECORDED_RULES]


def test_every_rule_has_a_mutation_test() -> None:
    # Each rule has at least one; tests/plan/test_policies.py checks every *check* inside a rule is reached.
    assert {key.split("/")[0] for key in MUTATIONS} == set(rule_names()) - {"k8s-image-digest"}
    assert all(key.count("/") <= 1 for key in MUTATIONS)


def test_policies_are_described_leveled_and_remediable() -> None:
    assert PACK_NAME.replace("-", "").isalnum()
    for policy in POLICIES:
        assert policy.description, policy.name
        assert policy.remediation_steps, policy.name
        assert policy.enforcement_level in (EnforcementLevel.MANDATORY, EnforcementLevel.ADVISORY), policy.name
    assert len({p.name for p in POLICIES}) == len(POLICIES)


def test_pack_entry_point_constructs_the_pack_once_with_every_policy(monkeypatch: pytest.MonkeyPatch) -> None:
    """What the CLI runs: one PolicyPack of every rule, mandatory by default (it serves until killed)."""
    constructed: list[dict[str, Any]] = []
    monkeypatch.setattr(pulumi_policy, "PolicyPack", lambda **kwargs: constructed.append(kwargs))
    runpy.run_path(str(ROOT / "policies" / "__main__.py"), run_name="__main__")
    assert len(constructed) == 1
    assert constructed[0]["name"] == PACK_NAME
    assert constructed[0]["policies"] == POLICIES
    assert constructed[0]["enforcement_level"] == EnforcementLevel.MANDATORY
