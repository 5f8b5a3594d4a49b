"""The latency and failover model: round trips, commit floors, failover estimates, impossible targets."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from inferadb.analysis.latency import INTRA_REGION_RTT_MS, Voters, rtt_ms
from inferadb.analysis.raft_model import commit_latency_floor_ms, failover_estimates, timing_warnings
from inferadb.model.topology import TopologyError, load_topology, parse_topology

ROOT = Path(__file__).resolve().parents[2]


def failovers(voters: Voters, primary: str) -> dict[str, float | None]:
    return {e.region: e.seconds for e in failover_estimates(voters, primary)}


def with_targets(path: str, **targets: Any) -> Any:
    raw = yaml.safe_load((ROOT / path).read_text())
    raw["targets"] = targets
    return parse_topology(raw)


def test_round_trips_are_symmetric_measured_or_estimated() -> None:
    assert rtt_ms("us-west-1", "eu-central-1") == rtt_ms("eu-central-1", "us-west-1") == 160
    assert rtt_ms("eu-central-1", "eu-central-1") == INTRA_REGION_RTT_MS < 1
    estimated = rtt_ms("eu-west-3", "us-east-2")  # not measured: from the distance (Paris to Ohio)
    assert 80 < estimated < 130


def test_three_plus_three() -> None:
    voters = Voters({"us-west-1": 3, "eu-central-1": 3})
    assert voters.quorum == 4
    assert commit_latency_floor_ms(voters, "us-west-1") == 160
    assert failovers(voters, "us-west-1") == {"us-west-1": None, "eu-central-1": None}


def test_three_plus_two_keeps_commits_local_but_loses_quorum_with_the_primary() -> None:
    voters = Voters({"us-west-1": 3, "eu-central-1": 2})
    assert voters.quorum == 3
    assert commit_latency_floor_ms(voters, "us-west-1") == INTRA_REGION_RTT_MS
    assert failovers(voters, "us-west-1") == {"us-west-1": None, "eu-central-1": 0.0}


def test_two_plus_two_plus_witness() -> None:
    voters = Voters({"us-west-1": 2, "eu-central-1": 2, "us-east-2": 1})
    assert voters.quorum == 3
    assert commit_latency_floor_ms(voters, "us-west-1") == 50  # leader + its local peer + the witness in us-east-2
    estimates = failovers(voters, "us-west-1")
    # Survivors 2 + 1 = quorum 3; stable timeout 10 x 160 ms, then two rounds to the witness (100 ms).
    assert estimates["us-west-1"] == pytest.approx((1600 + 2 * 100) / 1000)
    assert estimates["eu-central-1"] == estimates["us-east-2"] == 0.0


def test_single_region() -> None:
    voters = Voters({"us-west-1": 3})
    assert commit_latency_floor_ms(voters, "us-west-1") == INTRA_REGION_RTT_MS
    assert failovers(voters, "us-west-1") == {"us-west-1": None}
    assert timing_warnings(voters) == []  # Ledger's defaults are fine inside one region


def test_cross_region_timing_is_flagged() -> None:
    (warning,) = timing_warnings(Voters({"us-west-1": 3, "eu-central-1": 3}))
    assert "below 10 x the worst voter round trip (160 ms" in warning


def test_commit_latency_target_below_the_nearest_majority_is_rejected() -> None:
    with pytest.raises(TopologyError, match=r"targets.commit_latency_ms 100 is impossible.*160 ms away"):
        with_targets("topology.yaml", commit_latency_ms=100)
    assert with_targets("topology.yaml", commit_latency_ms=200).targets.commit_latency_ms == 200


def test_failover_target_with_manual_recovery_is_rejected() -> None:
    with pytest.raises(TopologyError, match=r"losing us-west-1 leaves 3 of 6 voters left, quorum 4.*manual"):
        with_targets("topology.yaml", failover_seconds=30)


def test_sub_second_failover_across_the_atlantic_is_rejected() -> None:
    with pytest.raises(TopologyError, match=r"failover_seconds 0.9 is impossible: losing us-west-1 takes about 1.8 s"):
        with_targets("examples/witness.yaml", failover_seconds=0.9)
    assert with_targets("examples/witness.yaml", failover_seconds=5).targets.failover_seconds == 5


def test_shipped_topology_voters() -> None:
    assert load_topology(ROOT / "topology.yaml").voters().per_region == {"us-west-1": 3, "eu-central-1": 3}


def test_the_new_leader_is_the_survivor_nearest_a_majority_not_the_first_by_name() -> None:
    # Losing us-west-1: eu-central-1 sorts first but is 150 ms from a majority; us-east-1 is 90 ms.
    voters = Voters({"us-west-1": 1, "us-west-2": 1, "us-east-1": 1, "eu-central-1": 1})
    (estimate,) = [e for e in failover_estimates(voters, "us-west-1") if e.region == "us-west-1"]
    assert estimate.seconds == pytest.approx((1600 + 2 * 90) / 1000)
    assert estimate.reason.endswith("new leader in us-east-1")


class WorstRoundTrip(Voters):
    """Voters whose worst round trip is set by the test, to pin the warnings' thresholds."""

    def __init__(self, worst_ms: float) -> None:
        super().__init__({"us-west-1": 3})
        self.worst = worst_ms

    def worst_rtt_ms(self) -> float:
        return self.worst


@pytest.mark.parametrize(
    ("worst_ms", "heartbeat", "election"),
    [(30, False, False), (30.5, False, True), (300, False, True), (300.5, True, True)],
)
def test_timing_warnings_start_exactly_at_their_thresholds(worst_ms: float, heartbeat: bool, election: bool) -> None:
    # Election timeout 300 ms against 10 x the worst round trip; heartbeat 150 ms against half of it.
    warnings = timing_warnings(WorstRoundTrip(worst_ms))
    assert any(w.startswith("Raft heartbeat") for w in warnings) is heartbeat
    assert any(w.startswith("Raft election timeout") for w in warnings) is election
