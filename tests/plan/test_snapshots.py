"""No accidental replacement: every shipped topology's recorded URNs, and the inputs that replace a
resource holding data or identity, equal the committed snapshots (tests/snapshots.py says why).

A difference is either a mistake (a rename without `aliases`, a changed immutable input) or a change
that is meant: then `make snapshots` rewrites the files and the diff shows in review.
"""

from __future__ import annotations

import difflib
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests import snapshots
from tests.recorded import plan_of

HINT = "if this change is meant, run `make snapshots`; a renamed resource or component needs an `aliases` entry"


@pytest.fixture(scope="module", params=sorted(snapshots.topologies()))
def recorded(request: pytest.FixtureRequest, plan_cache: Path) -> tuple[str, Path]:
    name: str = request.param
    document = yaml.safe_load(snapshots.topologies()[name].read_text())
    return name, plan_of(document, plan_cache)


def test_every_topology_has_a_snapshot_for_each_of_its_stacks(recorded: tuple[str, Path]) -> None:
    name, plan_dir = recorded
    committed = sorted(p.name.removesuffix(".urns") for p in (snapshots.SNAPSHOTS / name).glob("*.urns"))
    assert snapshots.stacks(plan_dir), name
    assert committed == snapshots.stacks(plan_dir), HINT


def test_urns_equal_the_committed_list(recorded: tuple[str, Path]) -> None:
    name, plan_dir = recorded
    for stack in snapshots.stacks(plan_dir):
        committed = snapshots.urn_file(name, stack).read_text().splitlines()
        current = snapshots.urns(plan_dir / stack)
        diff = "\n".join(difflib.unified_diff(committed, current, "committed", "recorded", lineterm="", n=0))
        assert current == committed, f"{name}/{stack}: URNs changed ({HINT}):\n{diff}"


def test_inputs_that_replace_equal_the_committed_values(recorded: tuple[str, Path]) -> None:
    name, plan_dir = recorded
    for stack in snapshots.stacks(plan_dir):
        committed = json.loads(snapshots.replacing_file(name, stack).read_text())
        current = snapshots.replacing_inputs(plan_dir / stack)
        changed = sorted(urn for urn in committed.keys() | current.keys() if committed.get(urn) != current.get(urn))
        assert not changed, f"{name}/{stack}: inputs that replace on change differ ({HINT}): {changed}"


def test_the_guard_sees_what_holds_data() -> None:
    """The replacing snapshot of the shipped primary covers Ledger's volumes, both node groups'
    instance types and the router's boot script: the three replacements that cost most."""
    committed = json.loads(snapshots.replacing_file("shipped", "us-west-1").read_text())
    by_type: dict[str, list[dict[str, Any]]] = {}
    for urn, inputs in committed.items():
        by_type.setdefault(urn.split("::")[-2].split("$")[-1], []).append(inputs)
    assert any("spec.volumeClaimTemplates" in i for i in by_type["kubernetes:apps/v1:StatefulSet"])
    assert all("instanceTypes" in i for i in by_type["aws:eks/nodeGroup:NodeGroup"])
    assert all(i["userData"][0] == "#!/bin/bash" for i in by_type["aws:ec2/instance:Instance"])
