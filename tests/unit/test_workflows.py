"""The GitHub workflows: schema-valid, credential-free plan, previews with the pack, gated deploys."""

from __future__ import annotations

import re
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
    assert "make test-slow" in runs
    (plan,) = [r for r in runs if "make plan" in r]
    assert 'make plan PLAN_ARGS="--diff build-base"' in plan  # the changes against the base branch
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


def test_deploy_is_one_gated_job_per_stack_in_priority_order() -> None:
    jobs = workflow("deploy.yml")["jobs"]
    job = jobs["deploy"]
    assert job["environment"] == "production"
    assert job["strategy"]["max-parallel"] == 1
    assert job["strategy"]["fail-fast"] is True
    assert job["strategy"]["matrix"]["stack"] == "${{ fromJSON(needs.order.outputs.stacks) }}"
    assert job["concurrency"] == {"group": "deploy-${{ matrix.stack }}", "cancel-in-progress": False}
    credentials = next(s for s in job["steps"] if "configure-aws-credentials" in s.get("uses", ""))
    assert credentials["with"]["role-duration-seconds"] >= 7200  # outlives the longest stack's update
    assert "default_branch" in jobs["order"]["if"]


def test_every_update_and_preview_runs_the_policy_pack() -> None:
    for name, job_name in (("deploy.yml", "deploy"), ("rotate-tailnet-keys.yml", "rotate")):
        updates = [c for c in pulumi_commands(workflow(name)["jobs"][job_name]) if c[:2] == ["pulumi", "up"]]
        assert updates, name
        assert all(option(c, "--policy-pack") == "policies" for c in updates), name


def test_key_rotation_updates_what_depends_on_the_keys() -> None:
    # The replaced keys' dependents (the SSM parameters the routers read) must follow in the same update.
    job = workflow("rotate-tailnet-keys.yml")["jobs"]["rotate"]
    updates = [c for c in pulumi_commands(job) if c[:2] == ["pulumi", "up"]]
    assert updates
    assert all("--target-dependents" in c for c in updates)
    assert "default_branch" in job["if"]  # a manual run cannot pick another branch


def all_steps() -> list[tuple[str, dict[str, Any]]]:
    return [
        (path.name, step)
        for path in sorted(WORKFLOWS.glob("*.yml"))
        for job in workflow(path.name)["jobs"].values()
        for step in job["steps"]
    ]


def test_every_action_is_pinned_to_a_commit_with_its_version_in_a_comment() -> None:
    lines = [line for path in WORKFLOWS.glob("*.yml") for line in path.read_text().splitlines()]
    uses = [line for line in lines if line.strip().startswith(("- uses:", "uses:"))]
    assert uses
    for line in uses:
        assert re.search(r"@[0-9a-f]{40} # v\d+\.\d+\.\d+", line), line


def test_no_checkout_keeps_its_token() -> None:
    checkouts = [(name, s) for name, s in all_steps() if s.get("uses", "").startswith("actions/checkout@")]
    assert checkouts
    assert all(s["with"]["persist-credentials"] is False for _, s in checkouts)


def test_previews_never_get_the_deploy_credentials() -> None:
    job = workflow("pull-request.yml")["jobs"]["preview"]
    assert job["environment"] == "preview"
    text = yaml.safe_dump(job)
    assert "AWS_DEPLOY_ROLE_ARN" not in text
    assert "secrets.TAILSCALE_OAUTH_CLIENT_SECRET" not in text
    assert "secrets.TAILSCALE_PREVIEW_OAUTH_CLIENT_SECRET" in text


REGION_RUNNER = "${{ vars.CLUSTER_RUNNER && format('{0}-{1}', vars.CLUSTER_RUNNER, matrix.stack) || 'ubuntu-latest' }}"


def test_what_talks_to_a_cluster_runs_in_that_regions_network_and_the_rest_on_hosted_runners() -> None:
    # Each region's job on the runner inside that region's VPC: it reaches its own private endpoint,
    # needs no route to another region's API, and the DR stack deploys while the primary is down.
    talks = {("deploy.yml", "deploy"), ("pull-request.yml", "preview"), ("rotate-tailnet-keys.yml", "rotate")}
    for path in sorted(WORKFLOWS.glob("*.yml")):
        for name, job in workflow(path.name)["jobs"].items():
            if (path.name, name) in talks:
                assert job["runs-on"] == REGION_RUNNER, (path.name, name)
                assert "stack" in job["strategy"]["matrix"], (path.name, name)  # one job per region
                assert job["strategy"]["max-parallel"] == 1, (path.name, name)
            else:
                assert job["runs-on"] == "ubuntu-latest", (path.name, name)  # tests, the offline plan
