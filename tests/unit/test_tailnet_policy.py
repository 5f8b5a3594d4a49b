"""Writing the tailnet policy on a shared tailnet: the operator's base, with this program's rules merged in."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from inferadb.facts.tailnet_acl import ROUTER_TAG, tailnet_policy
from inferadb.model.topology import load_topology
from inferadb.plan.tailnet_policy import PolicyMergeError, dropped, merge, policy_document, region_routes
from inferadb.stack.files import StackConfigError, read_policy_base

TOPOLOGY = load_topology(Path(__file__).resolve().parents[2] / "topology.yaml")
OURS = tailnet_policy(region_routes(TOPOLOGY))

BASE: dict[str, Any] = {
    "groups": {"group:sre": ["alice@example.com"]},
    "tagOwners": {"tag:ci": ["group:sre"], ROUTER_TAG: ["group:sre"]},
    "hosts": {"bastion": "10.0.0.5"},
    "acls": [{"action": "accept", "src": ["group:sre"], "dst": ["*:22"]}],
    "grants": [{"src": ["group:sre"], "dst": ["tag:ci"], "ip": ["443"]}],
    "ssh": [{"action": "check", "src": ["group:sre"], "dst": ["tag:ci"], "users": ["root"]}],
    "autoApprovers": {"routes": {"10.0.0.0/8": ["group:sre"]}},
    "tests": [{"src": "alice@example.com", "accept": ["tag:ci:443"]}],
}


def test_the_merge_keeps_everything_the_base_grants_and_adds_ours() -> None:
    merged = json.loads(policy_document(TOPOLOGY, BASE))
    assert dropped(BASE, merged) == []
    assert all(grant in merged["grants"] for grant in OURS["grants"])
    assert all(test in merged["tests"] for test in OURS["tests"])
    assert merged["hosts"] == {**BASE["hosts"], **OURS["hosts"]}
    assert merged["autoApprovers"]["routes"] == {**BASE["autoApprovers"]["routes"], **OURS["autoApprovers"]["routes"]}
    assert merged["tagOwners"][ROUTER_TAG] == ["group:sre", "autogroup:admin"]  # both owners, none lost
    assert merged["groups"] == BASE["groups"]
    assert merged["ssh"] == BASE["ssh"]


def test_merging_twice_changes_nothing() -> None:
    once = json.loads(policy_document(TOPOLOGY, BASE))
    assert json.loads(policy_document(TOPOLOGY, once)) == once


def test_a_dedicated_tailnet_gets_this_programs_policy_alone() -> None:
    assert json.loads(policy_document(TOPOLOGY, None)) == OURS


def test_a_lost_entry_is_named() -> None:
    merged = merge(BASE, OURS)
    merged["acls"].pop(0)
    del merged["groups"]["group:sre"]
    assert dropped(BASE, merged) == ["groups.group:sre", "acls[0]"]


def test_a_setting_both_sides_set_differently_stops_the_merge() -> None:
    with pytest.raises(PolicyMergeError, match="sets 'x' to something else"):
        merge({"x": 1}, {"x": 2})


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (None, "does not exist; export the tailnet's policy"),
        ("// a comment\n{}", "is not a JSON policy"),
        ("[]", "JSON object"),
        ('{"grants": {}}', "'grants' must be an array"),
        (
            '{"tagOwners": {"tag:inferadb-router": "autogroup:admin"}}',
            "'tagOwners.tag:inferadb-router' must be an array",
        ),
        ('{"hosts": {"inferadb-node-us-west-1": "10.9.9.9"}}', "'hosts.inferadb-node-us-west-1' is '10.9.9.9'"),
    ],
)
def test_a_bad_base_file_names_the_field_and_the_fix(tmp_path: Path, content: str | None, fragment: str) -> None:
    if content is not None:
        (tmp_path / "base.json").write_text(content)
    with pytest.raises(StackConfigError, match=r"connectivity\.policy_base") as caught:
        read_policy_base(tmp_path / "topology.yaml", "base.json", TOPOLOGY)
    assert fragment in str(caught.value)


def test_the_base_file_stays_inside_the_project(tmp_path: Path) -> None:
    with pytest.raises(StackConfigError, match=r"without '\.\.'"):
        read_policy_base(tmp_path / "topology.yaml", "../elsewhere.json", TOPOLOGY)
