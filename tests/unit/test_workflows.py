"""The GitHub workflows: schema-valid, credential-free plan, previews with the pack, gated deploys."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]

WORKFLOWS = ROOT / ".github" / "workflows"


def workflow(name: str) -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load((WORKFLOWS / name).read_text())
    return document


def test_offline_job_runs_the_readme_commands_without_credentials() -> None:
    job = workflow("pull-request.yml")["jobs"]["offline-plan"]
    runs = [s.get("run", "") for s in job["steps"]]
    assert "make test" in runs
    assert "make plan" in runs
    assert not any("configure-aws-credentials" in s.get("uses", "") for s in job["steps"])
    assert "id-token" not in job.get("permissions", {})
    assert any(s.get("uses", "").startswith("actions/upload-artifact") for s in job["steps"])


def test_preview_per_stack_in_priority_order_with_the_policy_pack() -> None:
    job = workflow("pull-request.yml")["jobs"]["preview"]
    assert job["strategy"]["max-parallel"] == 1
    assert job["permissions"]["id-token"] == "write"
    pulumi = next(s for s in job["steps"] if s.get("uses", "").startswith("pulumi/actions"))
    assert pulumi["with"]["command"] == "preview"
    assert pulumi["with"]["policyPacks"] == "policies"
    assert pulumi["with"]["comment-on-pr"] is True


def pulumi_commands(job: dict[str, Any]) -> list[list[str]]:
    """Every `pulumi ...` command line the job's steps run, split as the shell would split it."""
    lines = (line.strip() for step in job["steps"] for line in step.get("run", "").splitlines())
    return [shlex.split(line.rstrip("\\ ;")) for line in lines if line.startswith("pulumi ")]


def option(command: list[str], name: str) -> str | None:
    return command[command.index(name) + 1] if name in command else None


def test_deploy_is_gated_and_every_update_runs_the_policy_pack() -> None:
    job = workflow("deploy.yml")["jobs"]["deploy"]
    assert job["environment"] == "production"
    updates = [c for c in pulumi_commands(job) if c[:2] == ["pulumi", "up"]]
    assert updates
    assert all(option(c, "--policy-pack") == "policies" for c in updates)


def test_key_rotation_updates_what_depends_on_the_keys() -> None:
    # The replaced keys' dependents (the tailscale-auth Secrets) must follow in the same update.
    job = workflow("rotate-tailnet-keys.yml")["jobs"]["rotate"]
    updates = [c for c in pulumi_commands(job) if c[:2] == ["pulumi", "up"]]
    assert updates
    assert all("--target-dependents" in c for c in updates)
