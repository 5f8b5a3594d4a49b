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

ROOT = Path(__file__).resolve().parents[2]


def preflight(env: dict[str, str], *args: str) -> tuple[subprocess.CompletedProcess[str], float]:
    base = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "AWS_EC2_METADATA_DISABLED": "true"}
    base |= {"AWS_CONFIG_FILE": "/nonexistent", "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent"}
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "preflight", "--stack", "us-west-1", "--timeout", "0.5", *args],
        cwd=ROOT,
        env=base | env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    return result, time.monotonic() - started


FAKE_KEYS = {"AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "not-a-real-secret"}


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


def assert_one_clear_failure(result: subprocess.CompletedProcess[str], seconds: float) -> None:
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert "FAIL credentials:" in result.stdout
    assert "not-a-real-secret" not in result.stdout + result.stderr
    assert seconds < 30


def test_no_credentials_is_one_fail_line() -> None:
    result, seconds = preflight({})
    assert_one_clear_failure(result, seconds)
    assert "NoCredentialsError" in result.stdout


def test_a_refused_endpoint_fails_fast(refused_port: int) -> None:
    result, seconds = preflight({**FAKE_KEYS, "AWS_ENDPOINT_URL": f"http://127.0.0.1:{refused_port}"})
    assert_one_clear_failure(result, seconds)


def test_an_endpoint_that_never_answers_times_out(silent_listener: int) -> None:
    result, seconds = preflight({**FAKE_KEYS, "AWS_ENDPOINT_URL": f"http://127.0.0.1:{silent_listener}"})
    assert_one_clear_failure(result, seconds)
    assert "ReadTimeout" in result.stdout


def test_bootstrap_against_a_refused_endpoint_is_one_fail_line(refused_port: int) -> None:
    base = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "AWS_EC2_METADATA_DISABLED": "true"}
    env = base | FAKE_KEYS | {"AWS_ENDPOINT_URL": f"http://127.0.0.1:{refused_port}"}
    command = [sys.executable, "-m", "preflight", "bootstrap-state", "--bucket", "b", "--region", "us-west-1"]
    result = subprocess.run(
        [*command, "--timeout", "0.5"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stdout.startswith("FAIL bootstrap-state: ")
    assert "Traceback" not in result.stdout + result.stderr
