"""Every rule passes on the shipped topology's output and fails on a minimal mutation that breaks it."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from policies.check import check_records
from tests.mutations import MUTATIONS, Records


@pytest.mark.parametrize("rule", sorted(MUTATIONS))
def test_rule_passes_on_shipped_and_fails_on_its_mutation(shipped: Records, rule: str) -> None:
    assert [v for v in check_records(shipped) if v.rule == rule] == []
    mutated = copy.deepcopy(shipped)
    MUTATIONS[rule](mutated)
    assert [v for v in check_records(mutated) if v.rule == rule], f"{rule} did not notice its mutation"


def test_digest_rule_is_advisory_and_satisfied_by_digests(shipped: Records) -> None:
    assert {v.level for v in check_records(shipped) if v.rule == "k8s-image-digest"} == {"advisory"}
    mutated = copy.deepcopy(shipped)
    for r in mutated:
        for c in ((r["props"].get("spec") or {}).get("template") or {}).get("spec", {}).get("containers", []):
            c["image"] = c["image"].split(":")[0] + "@sha256:" + "a" * 64
    assert [v for v in check_records(mutated) if v.rule == "k8s-image-digest"] == []


def test_dr_stack_passes_every_mandatory_rule(plan_dir: Path) -> None:
    records = json.loads((plan_dir / "eu-central-1" / "resources.json").read_text())
    assert [v for v in check_records(records) if v.level == "mandatory"] == []
