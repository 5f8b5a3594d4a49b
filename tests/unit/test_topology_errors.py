"""Topology errors that teach: the field path, what was given, what is expected, and the fix."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from inferadb.model.source import SourceError, parse_mapping
from inferadb.model.topology import TopologyError, parse_topology

ROOT = Path(__file__).resolve().parents[2]


def errors_of(raw: dict[str, Any]) -> list[str]:
    with pytest.raises(TopologyError) as caught:
        parse_topology(raw)
    return str(caught.value).splitlines()


def test_a_misspelt_key_gets_the_nearest_field(raw: dict[str, Any]) -> None:
    raw["ledger"]["redundnacy"] = raw["ledger"].pop("redundancy")
    lines = errors_of(raw)
    assert "topology.yaml: ledger.redundnacy: unknown field; did you mean 'redundancy'?" in lines


def test_a_key_with_no_near_field_lists_the_fields_of_its_block(raw: dict[str, Any]) -> None:
    raw["regions"]["us-west-1"]["zzz"] = 1
    (line,) = [line for line in errors_of(raw) if "zzz" in line]
    assert "fields here are: availability_zones, id, kubernetes_version" in line


def test_an_unquoted_version_says_to_quote_it(raw: dict[str, Any]) -> None:
    raw["regions"]["eu-central-1"]["kubernetes_version"] = 1.35
    lines = errors_of(raw)
    assert any(
        line.startswith("topology.yaml: regions.eu-central-1.kubernetes_version: expects text, got the number 1.35")
        and "quote it: '1.35'" in line
        for line in lines
    ), lines


def test_a_word_for_a_count_says_it_wants_a_whole_number(raw: dict[str, Any]) -> None:
    raw["regions"]["us-west-1"]["node_groups"]["ledger"]["desired_size"] = "three"
    lines = errors_of(raw)
    assert (
        "topology.yaml: regions.us-west-1.node_groups.ledger.desired_size: expects a whole number, got 'three'; "
        "write it without quotes or units (e.g. 3)"
    ) in lines


def test_a_value_outside_its_choices_lists_them(raw: dict[str, Any]) -> None:
    raw["environment"] = "prod"
    assert "topology.yaml: environment: got 'prod'; write one of 'dev', 'staging' or 'production'" in errors_of(raw)


def test_independent_field_mistakes_are_reported_in_one_run(raw: dict[str, Any]) -> None:
    raw["ledger"]["redundnacy"] = raw["ledger"].pop("redundancy")
    raw["regions"]["eu-central-1"]["kubernetes_version"] = 1.35
    raw["regions"]["us-west-1"]["node_groups"]["ledger"]["desired_size"] = "three"
    lines = errors_of(raw)
    assert {line.split(":")[1].strip() for line in lines[:-1]} == {
        "ledger.redundnacy",
        "regions.eu-central-1.kubernetes_version",
        "regions.us-west-1.node_groups.ledger.desired_size",
    }
    assert len(lines) == 4
    assert lines[-1] == "topology.yaml: every field, its type and its rules: docs/topology.md"


def test_independent_cross_region_mistakes_are_reported_in_one_run(raw: dict[str, Any]) -> None:
    raw["regions"]["eu-central-1"]["priority"] = 1
    raw["regions"]["us-west-1"]["vpc_cidr"] = raw["regions"]["eu-central-1"]["vpc_cidr"]
    lines = errors_of(raw)
    assert any("regions.eu-central-1.priority 1 is already used by us-west-1" in line for line in lines), lines
    assert any("vpc_cidr" in line and "overlaps" in line for line in lines), lines


def test_an_alias_that_contains_itself_is_refused() -> None:
    with pytest.raises(SourceError, match="refers to the value that contains it"):
        parse_mapping(b"x: &a [*a]\n", "topology.yaml", "topology")


def billion_laughs(levels: int) -> bytes:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for previous, name in zip("abcdefghi", "bcdefghij"[:levels], strict=False):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
    return ("\n".join(lines) + "\n").encode()


def test_alias_fan_out_is_refused() -> None:
    with pytest.raises(SourceError, match="aliases expand to more than 100000 values"):
        parse_mapping(billion_laughs(8), "topology.yaml", "topology")


def test_a_few_aliases_still_read() -> None:
    document = parse_mapping(b"base: &b {size: 3}\none: *b\ntwo: *b\n", "topology.yaml", "topology")
    assert document["one"] == document["two"] == {"size": 3}


@pytest.mark.parametrize("document", [b"x: &a [*a]\n", billion_laughs(8)], ids=["self-reference", "fan-out"])
def test_synth_refuses_hostile_aliases_with_exit_2_and_writes_nothing(tmp_path: Path, document: bytes) -> None:
    source, out = tmp_path / "topology.yaml", tmp_path / "out"
    source.write_bytes(document)
    # The timeout guards against the hang this replaced (it is not a performance assertion).
    result = subprocess.run(
        [sys.executable, "-m", "synth", "--all", "--topology", str(source), "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2, result.stderr
    assert "alias" in result.stderr
    assert not out.exists()


@pytest.fixture
def raw() -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load((ROOT / "topology.yaml").read_text())
    return document
