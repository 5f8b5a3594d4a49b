"""Hostile and broken inputs: each gets its exit code and a message that names the place, never a
traceback, and nothing is written for bad input."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from inferadb.facts.exit_codes import guarded
from inferadb.model.topology import load_topology
from policies.check import main as policy_check
from tests.hostile import HOSTILE
from tests.recorded import StackPlan, run_synth, synth_in_process

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = (ROOT / "topology.yaml").read_text()

BAD_TOPOLOGIES: dict[str, bytes] = {
    "not-utf8": SHIPPED.encode("latin-1", errors="replace") + "\nx: \xe9\n".encode("latin-1"),
    "utf16": SHIPPED.encode("utf-16"),
    "duplicate-key": (SHIPPED + "\nenvironment: dev\n").encode(),
    "deep-nesting": b"environment: " + b"[" * 2000 + b"]" * 2000 + b"\n",
    "a-list": b"- environment: production\n",
    "null-key": b"~: production\n",
    "huge": b"# " + b"x" * 1_100_000 + b"\n",
    "not-yaml": b"environment: [production\n",
}


@pytest.mark.parametrize("case", sorted(BAD_TOPOLOGIES))
def test_an_unreadable_topology_is_bad_input_and_writes_nothing(tmp_path: Path, case: str) -> None:
    topology = tmp_path / "topology.yaml"
    topology.write_bytes(BAD_TOPOLOGIES[case])
    result = synth_in_process("--all", "--topology", topology, "--out", tmp_path / "out")
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("error: topology.yaml: ")
    assert not (tmp_path / "out").exists()


def _exports(us_west_1: StackPlan) -> dict[str, Any]:
    return dict(us_west_1.exports)


CORRUPT_EXPORTS: dict[str, Any] = {
    "not-json": "{not json",
    "a-list": ["vpc-1"],
    "missing-vpc": lambda e: {k: v for k, v in e.items() if k != "vpc_id"},
    "vpc-id-a-number": lambda e: {**e, "vpc_id": 42},
    "route-tables-a-string": lambda e: {**e, "private_route_table_ids": "rtb-0123456789abcdef0"},
}


@pytest.mark.parametrize("case", sorted(CORRUPT_EXPORTS))
def test_corrupt_earlier_exports_are_bad_input_naming_the_file(tmp_path: Path, us_west_1: StackPlan, case: str) -> None:
    (tmp_path / "us-west-1").mkdir()
    corrupt = CORRUPT_EXPORTS[case]
    content = corrupt(_exports(us_west_1)) if callable(corrupt) else corrupt
    path = tmp_path / "us-west-1" / "exports.json"
    path.write_text(content if isinstance(content, str) else json.dumps(content))
    result = synth_in_process("--stack", "eu-central-1", "--out", tmp_path)
    assert result.returncode == 2, result.stderr
    assert str(path) in result.stderr
    assert not (tmp_path / "eu-central-1").exists()


def test_corrupt_exports_name_the_key(tmp_path: Path, us_west_1: StackPlan) -> None:
    (tmp_path / "us-west-1").mkdir()
    (tmp_path / "us-west-1" / "exports.json").write_text(json.dumps({**us_west_1.exports, "vpc_id": 42}))
    result = synth_in_process("--stack", "eu-central-1", "--out", tmp_path)
    assert "vpc_id" in result.stderr


@pytest.mark.parametrize(
    ("content", "why"),
    [
        ("{not json", "not readable as JSON"),
        ('{"a": 1}', "must be a JSON list"),
        ("[1, 2]", "record 0 is not an object"),
        ('[{"type": "x", "name": "n", "props": {}}]', "record 0 needs `urn`"),
    ],
)
def test_policy_check_rejects_what_is_not_a_resources_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, why: str
) -> None:
    path = tmp_path / "resources.json"
    path.write_text(content)
    assert guarded(policy_check, [str(path)]) == 2
    assert why in capsys.readouterr().err


def test_policy_check_has_a_real_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert guarded(policy_check, ["--help"]) == 0
    assert "usage: python -m policies.check" in capsys.readouterr().out
    assert guarded(policy_check, []) == 2
    assert guarded(policy_check, [str(tmp_path / "missing.json")]) == 2


def test_an_internal_error_is_exit_3_with_its_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    def broken(argv: list[str]) -> int:
        raise KeyError("a bug")

    assert guarded(broken, []) == 3
    err = capsys.readouterr().err
    assert "Traceback" in err
    assert "internal error (exit 3)" in err


def test_a_valid_topology_written_back_reads_as_the_same_model(tmp_path: Path) -> None:
    # The strict loader must not reject what yaml.safe_dump writes; the same model is the same plan
    # (the plan tier evaluates the shipped one).
    topology = tmp_path / "topology.yaml"
    topology.write_text(yaml.safe_dump(yaml.safe_load(SHIPPED), sort_keys=False))
    assert load_topology(topology) == load_topology(ROOT / "topology.yaml")


def test_conflicting_arguments_are_a_usage_error() -> None:
    result = run_synth("--stack", "us-west-1", "--all")
    assert result.returncode == 2
    assert "not allowed with argument" in result.stderr


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_a_hostile_value_stops_synth_before_anything_is_written(tmp_path: Path, case: str) -> None:
    raw = yaml.safe_load(SHIPPED)
    change, field = HOSTILE[case]
    change(raw)
    topology = tmp_path / "topology.yaml"
    topology.write_text(yaml.safe_dump(raw, sort_keys=False))
    result = synth_in_process("--all", "--topology", topology, "--out", tmp_path / "out")
    assert result.returncode == 2, result.stderr
    assert field in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_a_refused_ledger_build_is_bad_input_before_anything_is_evaluated(tmp_path: Path) -> None:
    document = yaml.safe_load((ROOT / "topology.yaml").read_text())
    document["images"]["ledger"] = "ghcr.io/inferadb/ledger:nightly-20260430"
    source = tmp_path / "topology.yaml"
    source.write_text(yaml.safe_dump(document))
    result = synth_in_process("--all", "--topology", source, "--out", tmp_path / "out")
    assert result.returncode == 2
    assert "ledger nightly-20260430 cannot be deployed by this program" in result.stderr
    assert not (tmp_path / "out").exists()
