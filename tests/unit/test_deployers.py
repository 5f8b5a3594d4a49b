"""Preflight's deployer check: the identity running it must be a listed deployer (or admin)."""

from __future__ import annotations

import pytest

from preflight.deployers import deployer

DEPLOY = "arn:aws:iam::111122223333:role/ops/inferadb-deploy"
CI = "arn:aws:iam::111122223333:role/inferadb-ci"


@pytest.mark.parametrize(
    "caller",
    [
        "arn:aws:sts::111122223333:assumed-role/inferadb-deploy/alice",  # a session of the role (no path)
        "arn:aws:iam::111122223333:role/ops/inferadb-deploy",
    ],
)
def test_a_session_of_a_listed_role_passes(caller: str) -> None:
    result = deployer(caller, (DEPLOY, CI), ())
    assert result.status == "PASS"
    assert DEPLOY in result.message


@pytest.mark.parametrize(
    "caller",
    [
        "arn:aws:sts::999999999999:assumed-role/inferadb-deploy/alice",  # the same name, another account
        "arn:aws:sts::111122223333:assumed-role/someone-else/alice",
        "arn:aws:iam::111122223333:user/inferadb-deploy",  # a user is not the role of that name
        "arn:aws:iam::111122223333:root",
    ],
)
def test_anyone_else_fails_naming_the_list_and_the_fix(caller: str) -> None:
    result = deployer(caller, (DEPLOY,), ())
    assert result.status == "FAIL"
    assert f"{caller} runs this but is not in eks.deployers ({DEPLOY})" in result.message


def test_an_admin_may_run_it_too() -> None:
    assert (
        deployer("arn:aws:iam::111122223333:user/ops", (DEPLOY,), ("arn:aws:iam::111122223333:user/ops",)).status
        == "PASS"
    )
