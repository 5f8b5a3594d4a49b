"""Every command answers --help, and a command run without its arguments prints usage (exit 2)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, check=False)


def test_preflight_help_names_bootstrap_state() -> None:
    result = run("preflight", "--help")
    assert result.returncode == 0
    assert "bootstrap-state" in result.stdout


def test_synth_targets_without_arguments_prints_usage() -> None:
    result = run("synth.targets")
    assert result.returncode == 2
    assert result.stderr.startswith("usage: python -m synth.targets")


def test_docgen_help_prints_help_and_writes_nothing() -> None:
    before = {p: p.read_text() for p in (ROOT / "docs").glob("*.md")}
    result = run("docgen", "--help")
    assert result.returncode == 0
    assert "--check" in result.stdout
    assert {p: p.read_text() for p in (ROOT / "docs").glob("*.md")} == before
