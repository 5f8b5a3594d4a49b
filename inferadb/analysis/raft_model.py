"""What the Ledger Raft membership costs in latency and downtime, from the topology alone.

- Commit latency floor: a write commits when the leader and (quorum - 1) followers have it, so its
  floor is the round trip from the leader (in the primary) to the nearest majority.
- Failover: losing the leader's region costs the election timeout (followers notice the silence)
  plus a vote round and a first commit, each a round trip to the nearest majority of survivors.
  The timeout counted is the one a stable cross-region membership needs: at least 10 x the worst
  voter round trip (a shorter one starts needless elections), never less than Ledger's default.
  Losing another region costs no election. An unsurvivable loss is `manual`.
"""

from __future__ import annotations

from dataclasses import dataclass

from inferadb.analysis.latency import ELECTION_TIMEOUT_MS, HEARTBEAT_MS, Voters


@dataclass(frozen=True)
class FailoverEstimate:
    region: str
    seconds: float | None
    """None: quorum is lost, recovery is manual."""
    reason: str

    def describe(self) -> str:
        when = "manual" if self.seconds is None else f"{self.seconds:.1f} s"
        return f"failover estimate, losing {self.region}: {when} ({self.reason})"


def commit_latency_floor_ms(voters: Voters, primary: str) -> float:
    floor = voters.majority_rtt_ms(primary)
    return floor if floor is not None else float("inf")


def failover_estimates(voters: Voters, primary: str) -> list[FailoverEstimate]:
    estimates = []
    timeout = stable_election_timeout_ms(voters)
    for lost, count in voters.per_region.items():
        survivors = {r: n for r, n in voters.per_region.items() if r != lost}
        remaining = sum(survivors.values())
        if remaining < voters.quorum:
            estimates.append(
                FailoverEstimate(lost, None, f"{remaining} of {voters.total} voters left, quorum {voters.quorum}")
            )
        elif lost != primary or count == 0:
            estimates.append(FailoverEstimate(lost, 0.0, "the leader's region survives: no election"))
        else:
            rounds = {r: voters.majority_rtt_ms(r, survivors) for r, n in survivors.items() if n}
            candidate, rtt = min(((r, t) for r, t in rounds.items() if t is not None), key=lambda item: item[1])
            seconds = (timeout + 2 * rtt) / 1000
            estimates.append(
                FailoverEstimate(
                    lost,
                    seconds,
                    f"election timeout {timeout:g} ms + 2 x {rtt:g} ms to a majority, new leader in {candidate}",
                )
            )
    return estimates


def stable_election_timeout_ms(voters: Voters) -> float:
    return max(float(ELECTION_TIMEOUT_MS[1]), 10 * voters.worst_rtt_ms())


def timing_warnings(voters: Voters) -> list[str]:
    """Ledger's fixed Raft timing against the worst round trip inside the voter set."""
    worst = voters.worst_rtt_ms()
    warnings = []
    if 0.5 * worst > HEARTBEAT_MS:
        warnings.append(f"Raft heartbeat {HEARTBEAT_MS} ms is under half the worst voter round trip ({worst:g} ms)")
    if ELECTION_TIMEOUT_MS[0] < 10 * worst:
        warnings.append(
            f"Raft election timeout {ELECTION_TIMEOUT_MS[0]}-{ELECTION_TIMEOUT_MS[1]} ms is below 10 x the worst voter "
            f"round trip ({worst:g} ms, so {10 * worst:g} ms): a delayed heartbeat across regions can start a "
            f"needless election. Ledger exposes no setting for it (verify); keep voters close, or accept the risk"
        )
    return warnings
