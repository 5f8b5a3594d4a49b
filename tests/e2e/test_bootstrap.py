"""The bootstrap Job's script, run by a POSIX shell against a loopback Ledger over real gRPC.

grpcurl itself is not installable here: a stand-in with the same flags and output format
(tests/grpcurl_standin.py) makes the calls, with the descriptor set the Job ships.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from inferadb.facts.ledger_admin import REGION_NUMBERS
from inferadb.plan.admin_protoset import protoset
from inferadb.plan.bootstrap_script import BootstrapSteps, bootstrap_script
from tests.ledger_admin_fake import FakeLedger, LoopbackLedger

ROOT = Path(__file__).resolve().parents[2]
NODES = tuple(f"inferadb-ledger-{n}.us-west-1.ledger.inferadb.internal:50051" for n in range(3))


@pytest.fixture
def tools(tmp_path: Path) -> Path:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    grpcurl = bin_dir / "grpcurl"
    grpcurl.write_text(
        f"#!{sys.executable}\nimport sys\nsys.path.insert(0, {str(ROOT)!r})\n"
        "from tests.grpcurl_standin import main\nsys.exit(main(sys.argv[1:]))\n"
    )
    grpcurl.chmod(0o755)
    (tmp_path / "admin.protoset").write_bytes(protoset())
    return tmp_path


def run(tools: Path, steps: BootstrapSteps) -> subprocess.CompletedProcess[str]:
    script = tools / "bootstrap.sh"
    script.write_text(bootstrap_script(steps))
    env = {**os.environ, "PATH": f"{tools / 'bin'}:{os.environ['PATH']}", "PROTOSET": str(tools / "admin.protoset")}
    return subprocess.run(["/bin/sh", str(script)], env=env, capture_output=True, text=True, timeout=120, check=False)


def steps(target: str, *, init: bool = True, timeout: int = 20) -> BootstrapSteps:
    provision = ("us-west-or", "us-east-va") if init else ("de-central-frankfurt",)
    return BootstrapSteps(target, init, NODES, provision, timeout_seconds=timeout, poll_seconds=0.05)


def test_a_fresh_primary_is_initialised_joined_and_provisioned_and_a_rerun_changes_nothing(tools: Path) -> None:
    fake = FakeLedger(joining=list(NODES))
    with LoopbackLedger(fake) as address:
        first = run(tools, steps(address))
        assert first.returncode == 0, first.stderr
        assert fake.calls["InitCluster"] == 1
        assert fake.voters == list(NODES)
        assert fake.provisioned == {REGION_NUMBERS["us-west-or"], REGION_NUMBERS["us-east-va"]}
        assert '"initialized": true' in first.stdout
        assert first.stdout.count('"created": true') == 2
        assert first.stdout.rstrip().endswith("bootstrap: done")

        again = run(tools, steps(address))
        assert again.returncode == 0, again.stderr
        assert '"alreadyInitialized": true' in again.stdout  # init on an initialised node is a no-op
        assert '"created": true' not in again.stdout  # both regions already active
        assert fake.voters == list(NODES)


def test_a_later_region_never_inits_and_provisions_its_own_region(tools: Path) -> None:
    fake = FakeLedger(initialized=True, voters=["inferadb-ledger-0.us-west-1.ledger.inferadb.internal:50051"])
    fake.joining = list(NODES[1:])
    with LoopbackLedger(fake) as address:
        result = run(tools, steps(address, init=False))
    assert result.returncode == 0, result.stderr
    assert "InitCluster" not in fake.calls
    assert fake.provisioned == {REGION_NUMBERS["de-central-frankfurt"]}


def test_an_unreachable_target_fails_naming_its_address(tools: Path) -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        address = f"127.0.0.1:{probe.getsockname()[1]}"
    result = run(tools, steps(address, timeout=1))
    assert result.returncode == 1
    assert f"bootstrap: {address} did not answer GetNodeInfo within 1s" in result.stderr


def test_a_node_that_stays_a_learner_fails_naming_it(tools: Path) -> None:
    fake = FakeLedger(joining=list(NODES), stuck_learner=NODES[2])
    with LoopbackLedger(fake) as address:
        result = run(tools, steps(address, timeout=2))
    assert result.returncode == 1
    assert f"bootstrap: {NODES[2]} is not a voter" in result.stderr
    assert "ProvisionRegion" not in fake.calls  # nothing is provisioned before every node votes
