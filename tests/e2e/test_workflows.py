"""The GitHub workflows: schema-valid, credential-free plan, previews with the pack, gated deploys."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

WORKFLOWS = ROOT / ".github" / "workflows"


def test_workflows_validate_against_the_github_schema() -> None:
    files = sorted(str(p) for p in WORKFLOWS.glob("*.yml"))
    result = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows", *files],
        capture_output=True,
        text=True,
    )
    assert len(files) == 3
    assert result.returncode == 0, result.stdout + result.stderr


def test_stacks_command_lists_the_deploy_order_the_workflows_use() -> None:
    def stacks(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "synth.stacks", *args]
        return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)

    assert stacks().stdout.split() == ["us-west-1", "eu-central-1"]
    assert json.loads(stacks("--json", "examples/witness.yaml").stdout) == ["us-west-1", "eu-central-1", "us-east-2"]
    broken = stacks("README.md")
    assert broken.returncode == 2
    assert broken.stderr.startswith("error: ")
