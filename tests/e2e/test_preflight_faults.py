"""Preflight against an AWS it cannot use: one clear FAIL, exit 1, in seconds, never a traceback."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from inferadb.facts.exit_codes import guarded
from preflight.cli import main

# The slow tier (`make test-slow`): endpoints that refuse or never answer: each test waits out a timeout.
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
FAKE_KEYS = {"AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "not-a-real-secret"}


@pytest.fixture
def no_aws_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """No credentials, profile, config file or instance metadata: only what a test sets."""
    for key in ("AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")


@pytest.fixture
def refused_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])  # closed again: connections to it are refused


@pytest.fixture
def silent_listener() -> Iterator[int]:
    """A port that accepts connections (the kernel's backlog does) and never answers."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(16)
        yield int(server.getsockname()[1])


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, float]:
    started = time.monotonic()
    offline = [] if args[0] == "bootstrap-state" else ["--no-registry-check"]
    code = guarded(main, [*args, "--timeout", "0.5", *offline])
    captured = capsys.readouterr()
    return code, captured.out + captured.err, time.monotonic() - started


def assert_one_clear_failure(code: int, output: str, seconds: float, check: str = "credentials") -> None:
    assert code == 1, output
    assert "Traceback" not in output
    assert f"FAIL {check}" in output
    assert "not-a-real-secret" not in output
    assert seconds < 30


def test_no_credentials_is_one_fail_line_from_the_command_line() -> None:
    # The real command, as a user runs it: a fresh process with no AWS settings at all.
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "AWS_EC2_METADATA_DISABLED": "true"}
    env |= {"AWS_CONFIG_FILE": "/nonexistent", "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent"}
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "preflight", "--stack", "us-west-1", "--timeout", "0.5", "--no-registry-check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert_one_clear_failure(result.returncode, result.stdout + result.stderr, time.monotonic() - started)
    assert "NoCredentialsError" in result.stdout


@pytest.mark.usefixtures("no_aws_settings")
def test_a_refused_endpoint_fails_fast(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], refused_port: int
) -> None:
    for key, value in {**FAKE_KEYS, "AWS_ENDPOINT_URL": f"http://127.0.0.1:{refused_port}"}.items():
        monkeypatch.setenv(key, value)
    assert_one_clear_failure(*run(capsys, "--stack", "us-west-1"))


@pytest.mark.usefixtures("no_aws_settings")
def test_an_endpoint_that_never_answers_times_out(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], silent_listener: int
) -> None:
    for key, value in {**FAKE_KEYS, "AWS_ENDPOINT_URL": f"http://127.0.0.1:{silent_listener}"}.items():
        monkeypatch.setenv(key, value)
    code, output, seconds = run(capsys, "--stack", "us-west-1")
    assert_one_clear_failure(code, output, seconds)
    assert "ReadTimeout" in output


@pytest.mark.usefixtures("no_aws_settings")
def test_bootstrap_against_a_refused_endpoint_is_one_fail_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], refused_port: int
) -> None:
    for key, value in {**FAKE_KEYS, "AWS_ENDPOINT_URL": f"http://127.0.0.1:{refused_port}"}.items():
        monkeypatch.setenv(key, value)
    code, output, seconds = run(capsys, "bootstrap-state", "--bucket", "b", "--region", "us-west-1")
    assert_one_clear_failure(code, output, seconds, check="bootstrap-state")
