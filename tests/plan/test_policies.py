"""Every rule passes on the shipped topology's output and fails on a minimal mutation that breaks it."""

from __future__ import annotations

import ast
import copy
import json
from pathlib import Path
from typing import Any

import pytest

from policies.check import Violation, check_records
from tests.mutations import MUTATIONS, Records, find, pod
from tests.recorded import ROOT, StackPlan, plan_of


@pytest.fixture(scope="module")
def on_shipped(shipped: Records) -> list[Violation]:
    return check_records(shipped)


@pytest.fixture(scope="module")
def on_mutations(shipped: Records) -> dict[str, list[Violation]]:
    """What the pack finds on each mutation of the shipped plan: checked once, read by the tests below."""
    found = {}
    for mutation, change in MUTATIONS.items():
        mutated = copy.deepcopy(shipped)
        change(mutated)
        found[mutation] = check_records(mutated, rules={mutation.split("/")[0]})
    return found


@pytest.mark.parametrize("mutation", sorted(MUTATIONS))
def test_rule_passes_on_shipped_and_fails_on_its_mutation(
    on_shipped: list[Violation], on_mutations: dict[str, list[Violation]], mutation: str
) -> None:
    rule = mutation.split("/")[0]
    assert [v for v in on_shipped if v.rule == rule] == []
    assert [v for v in on_mutations[mutation] if v.rule == rule], f"{rule} did not notice {mutation}"


@pytest.mark.parametrize("mutation", sorted(MUTATIONS)[::12])
def test_checking_one_rule_finds_what_the_whole_pack_finds_of_it(shipped: Records, mutation: str) -> None:
    mutated = copy.deepcopy(shipped)
    MUTATIONS[mutation](mutated)
    rule = mutation.split("/")[0]
    alone = check_records(mutated, rules={rule})
    assert alone
    assert alone == [v for v in check_records(mutated) if v.rule == rule]


def report_sites() -> set[str]:
    """Every `report(...)` call in the pack's rule modules: one check each."""
    sites = set()
    for module in sorted((ROOT / "policies").glob("*_rules.py")):
        for node in ast.walk(ast.parse(module.read_text())):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "report":
                sites.add(f"{module.name}:{node.lineno}")
    return sites


def test_every_check_of_every_rule_is_broken_by_a_mutation(
    on_shipped: list[Violation], on_mutations: dict[str, list[Violation]]
) -> None:
    """A check no mutation reaches could be deleted without a test noticing."""
    fired = {v.site for v in on_shipped if v.rule == "k8s-image-digest"}  # advisory: fires on tags
    for mutation, violations in on_mutations.items():
        fired |= {v.site for v in violations if v.rule == mutation.split("/")[0]}
    sites = report_sites()
    assert len(sites) > 50
    assert sorted(sites - fired) == []


def test_ledger_anti_affinity_accepts_further_terms_beside_the_hostname_one(shipped: Records) -> None:
    # The rule asks for *a* hostname term; another required term (a zone, say) must not hide it.
    mutated = copy.deepcopy(shipped)
    terms = pod(mutated, "StatefulSet", "inferadb-ledger")["affinity"]["podAntiAffinity"][
        "requiredDuringSchedulingIgnoredDuringExecution"
    ]
    terms.append({**copy.deepcopy(terms[0]), "topologyKey": "topology.kubernetes.io/zone"})
    assert [v for v in check_records(mutated) if v.rule == "ledger-spread"] == []


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


def test_a_tailnet_policy_outside_the_primary_is_a_violation(eu_central_1: StackPlan, shipped: Records) -> None:
    records = copy.deepcopy(eu_central_1.resources)
    acl = copy.deepcopy(find(shipped, "tailscale:index/acl:Acl"))
    records.append({**acl, "urn": acl["urn"].replace("us-west-1", "eu-central-1")})
    found = [v for v in check_records(records) if v.rule == "ts-one-policy-file"]
    assert [v.level for v in found] == ["mandatory"]
    assert "eu-central-1 (dr)" in found[0].message


def test_the_primary_is_whichever_region_the_evaluated_topology_says(raw: dict[str, Any], plan_cache: Path) -> None:
    # eu-central-1 as the primary: its stack owns the tailnet policy, and no rule objects to that.
    raw["regions"]["eu-central-1"].update(priority=1, role="primary")
    raw["regions"]["us-west-1"].update(priority=2, role="dr")
    eu = StackPlan(plan_of(raw, plan_cache, stack="eu-central-1") / "eu-central-1")  # the first now
    assert eu.of_type("tailscale:index/acl:Acl")
    assert [v for v in check_records(eu.resources) if v.level == "mandatory"] == []
