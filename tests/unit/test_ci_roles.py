"""The CI roles' policy documents (docs/iam/): who may assume them, and what the preview may touch."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
IAM = ROOT / "docs" / "iam"


def document(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((IAM / name).read_text())
    return loaded


def subjects(name: str) -> list[str]:
    (statement,) = document(name)["Statement"]
    assert statement["Action"] == "sts:AssumeRoleWithWebIdentity"
    assert statement["Principal"]["Federated"].endswith(":oidc-provider/token.actions.githubusercontent.com")
    condition = statement["Condition"]["StringEquals"]
    assert condition["token.actions.githubusercontent.com:aud"] == "sts.amazonaws.com"
    sub = condition["token.actions.githubusercontent.com:sub"]
    return sub if isinstance(sub, list) else [sub]


def environments(workflow: str, role_variable: str) -> set[str]:
    jobs = yaml.safe_load((ROOT / ".github" / "workflows" / workflow).read_text())["jobs"]
    return {job["environment"] for job in jobs.values() if role_variable in yaml.safe_dump(job)}


def test_each_role_trusts_exactly_the_environments_whose_jobs_assume_it() -> None:
    for trust, variable, workflows in (
        ("deploy-role-trust.json", "AWS_DEPLOY_ROLE_ARN", ("deploy.yml", "rotate-tailnet-keys.yml")),
        ("preview-role-trust.json", "AWS_PREVIEW_ROLE_ARN", ("pull-request.yml",)),
    ):
        trusted = set()
        for sub in subjects(trust):
            match = re.fullmatch(r"repo:<OWNER>/<REPOSITORY>:environment:([a-z-]+)", sub)
            assert match, f"{trust}: {sub} is not one repository's environment (no branch, no wildcard)"
            trusted.add(match.group(1))
        used = set().union(*(environments(w, variable) for w in workflows))
        assert trusted == used, trust


def test_the_preview_writes_nothing_but_its_lock() -> None:
    writes = [
        s
        for s in document("preview-role-state.json")["Statement"]
        if any(a.startswith(("s3:Put", "s3:Delete")) for a in s["Action"])
    ]
    (lock,) = writes
    assert lock["Resource"] == "arn:aws:s3:::<STATE_BUCKET>/.pulumi/locks/*"


def test_the_deploy_session_outlasts_the_workflows_session() -> None:
    readme = (IAM / "README.md").read_text()
    assert "--max-session-duration 7200" in readme
    deploy = (ROOT / ".github" / "workflows" / "deploy.yml").read_text()
    assert "role-duration-seconds: 7200" in deploy
