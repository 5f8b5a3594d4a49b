"""The GitHub workflows: schema-valid, credential-free plan, previews with the pack, gated deploys."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

from synth.summary import summarize
from synth.targets import urns

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"


def workflow(name: str) -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load((WORKFLOWS / name).read_text())
    return document


def test_workflows_validate_against_the_github_schema() -> None:
    files = sorted(str(p) for p in WORKFLOWS.glob("*.yml"))
    result = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows", *files],
        capture_output=True,
        text=True,
    )
    assert len(files) == 3 and result.returncode == 0, result.stdout + result.stderr


def test_offline_job_runs_the_readme_commands_without_credentials() -> None:
    job = workflow("pull-request.yml")["jobs"]["offline-plan"]
    runs = [s.get("run", "") for s in job["steps"]]
    assert "make test" in runs and "make plan" in runs
    assert not any("configure-aws-credentials" in s.get("uses", "") for s in job["steps"])
    assert "id-token" not in job.get("permissions", {})
    assert any(s.get("uses", "").startswith("actions/upload-artifact") for s in job["steps"])


def test_preview_per_stack_in_priority_order_with_the_policy_pack() -> None:
    job = workflow("pull-request.yml")["jobs"]["preview"]
    assert job["strategy"]["max-parallel"] == 1 and job["permissions"]["id-token"] == "write"
    pulumi = next(s for s in job["steps"] if s.get("uses", "").startswith("pulumi/actions"))
    assert pulumi["with"]["command"] == "preview" and pulumi["with"]["policyPacks"] == "policies"
    assert pulumi["with"]["comment-on-pr"] is True


def test_deploy_is_gated_and_sequential() -> None:
    job = workflow("deploy.yml")["jobs"]["deploy"]
    assert job["environment"] == "production"
    script = next(s["run"] for s in job["steps"] if "pulumi up" in s.get("run", ""))
    assert "--policy-pack policies" in script and "ordered_regions" in script


def test_summary_counts_resources_and_violations(plan_dir: Path) -> None:
    text = summarize(plan_dir)
    assert "| us-west-1 |" in text and "| eu-central-1 |" in text


def test_key_rotation_replaces_only_the_keys_it_finds(plan_dir: Path) -> None:

    job = workflow("rotate-tailnet-keys.yml")["jobs"]["rotate"]
    script = next(s["run"] for s in job["steps"] if "pulumi up" in s.get("run", ""))
    assert "--target-dependents" in script and "--replace" in script
    keys = urns(plan_dir / "us-west-1" / "resources.json", "tailscale:index/tailnetKey:TailnetKey")
    assert len(keys) == 2
    # The engine's URN form: qualified by the parent components, never by the root Stack.
    assert all(k.startswith("urn:pulumi:us-west-1::inferadb::inferadb:index:Region$") for k in keys)
