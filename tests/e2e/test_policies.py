"""Every rule passes on the shipped topology's output and fails on a minimal mutation that breaks it."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path

import pytest

import synth.cli
from policies.check import Violation
from tests.mutations import MUTATIONS, Records
from tests.recorded import run_synth

ROOT = Path(__file__).resolve().parents[2]


def test_checker_cli_exit_codes(tmp_path: Path, shipped: Records) -> None:

    good = tmp_path / "good.json"
    good.write_text(json.dumps(shipped))
    bad_records = copy.deepcopy(shipped)
    MUTATIONS["aws-node-imdsv2"](bad_records)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(bad_records))
    ok = subprocess.run([sys.executable, "-m", "policies.check", str(good)], cwd=ROOT, capture_output=True, text=True)
    assert ok.returncode == 0
    assert "policies: 0 mandatory" in ok.stdout
    failed = subprocess.run(
        [sys.executable, "-m", "policies.check", str(good), str(bad)], cwd=ROOT, capture_output=True, text=True
    )
    assert failed.returncode == 1
    assert any(line.startswith("MANDATORY aws-node-imdsv2 urn:pulumi:") for line in failed.stdout.splitlines())


def test_synth_exits_1_on_a_mandatory_violation_and_json_carries_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(synth.cli, "check_records", lambda records: [Violation("mandatory", "x", "urn:x", "broken")])
    assert synth.cli.main(["--stack", "us-west-1", "--out", str(tmp_path), "--json"]) == 1
    assert json.loads((tmp_path / "us-west-1" / "policy.json").read_text())[0]["rule"] == "x"
    # --json: stdout is the estate summary alone, the same document as summary.json.
    printed = json.loads(capsys.readouterr().out)
    assert printed == json.loads((tmp_path / "summary.json").read_text())
    assert printed["policies"] == {"us-west-1": {"mandatory": 1, "advisory": 0}}
    assert printed["monthly_usd"]["estate"] == printed["monthly_usd"]["us-west-1"] > 0


def test_synth_writes_policy_results(plan_dir: Path) -> None:
    results = json.loads((plan_dir / "us-west-1" / "policy.json").read_text())
    assert results
    assert {r["level"] for r in results} == {"advisory"}
    assert run_synth("--help").returncode == 0


def test_pack_imports_only_what_its_own_requirements_install(plan_dir: Path) -> None:
    """The CLI runs the pack in policies/venv (pulumi-policy, pulumi, PyYAML): nothing else may load."""

    script = (
        "import sys\n"
        "for blocked in ('pydantic', 'pulumi_aws', 'pulumi_kubernetes', 'pulumi_tailscale', 'boto3'):\n"
        "    sys.modules[blocked] = None\n"
        "import json\n"
        "from policies.check import check_records\n"
        f"records = json.load(open({str(plan_dir / 'eu-central-1' / 'resources.json')!r}))\n"
        "print(len(check_records(records)))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
