"""Round-trip times between AWS regions, and what they mean for Ledger's Raft membership.

Plain data and arithmetic from the topology (no Pulumi). Measured pairs come from public
inter-region latency dashboards (cloudping.co p50 values, rounded: about 160 ms for us-west-1 to
eu-central-1; docs/sources.md). Pairs not in the table are estimated from the great-circle distance
between the regions' cities: light in fibre covers about 200 km per ms and real routes run about
1.5 times the straight line, so RTT ~ 2 x 1.5 x distance / 200 km/ms + 2 ms of switching.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

INTRA_REGION_RTT_MS = 0.5  # between zones of one region: well under 1 ms

# Ledger's Raft timing: with no `raft` config (which no flag or variable can set: `#[arg(skip)]` in
# crates/server/src/config.rs), crates/server/src/bootstrap.rs uses heartbeat 150 ms and election
# timeout 300-600 ms. Read at inferadb/ledger 21345c4; that field's doc comment (100 ms, 300-500 ms)
# is stale. docs/sources.md.
HEARTBEAT_MS = 150
ELECTION_TIMEOUT_MS = (300, 600)

MEASURED_RTT_MS: dict[frozenset[str], float] = {
    frozenset(pair): rtt
    for pair, rtt in {
        ("us-west-1", "eu-central-1"): 160,
        ("us-west-1", "us-west-2"): 22,
        ("us-west-1", "us-east-1"): 62,
        ("us-west-1", "us-east-2"): 50,
        ("us-east-1", "us-east-2"): 12,
        ("us-east-1", "us-west-2"): 67,
        ("us-east-1", "eu-central-1"): 90,
        ("us-east-2", "eu-central-1"): 100,
        ("us-west-2", "eu-central-1"): 150,
        ("eu-central-1", "eu-west-1"): 25,
        ("eu-central-1", "eu-west-2"): 15,
        ("eu-west-1", "eu-west-2"): 12,
        ("eu-central-1", "eu-north-1"): 22,
        ("us-east-1", "eu-west-1"): 68,
        ("eu-central-1", "ap-northeast-1"): 225,
        ("us-west-1", "ap-northeast-1"): 105,
        ("us-west-2", "ap-northeast-1"): 97,
    }.items()
}

# Approximate city of each region (latitude, longitude), for pairs without a measurement.
REGION_CITY: dict[str, tuple[float, float]] = {
    "us-east-1": (38.9, -77.4),
    "us-east-2": (40.0, -83.0),
    "us-west-1": (37.4, -121.9),
    "us-west-2": (45.8, -119.7),
    "ca-central-1": (45.5, -73.6),
    "ca-west-1": (51.0, -114.1),
    "mx-central-1": (20.6, -100.4),
    "sa-east-1": (-23.5, -46.6),
    "eu-central-1": (50.1, 8.7),
    "eu-central-2": (47.4, 8.5),
    "eu-west-1": (53.3, -6.3),
    "eu-west-2": (51.5, -0.1),
    "eu-west-3": (48.9, 2.4),
    "eu-north-1": (59.3, 18.1),
    "eu-south-1": (45.5, 9.2),
    "eu-south-2": (41.6, -0.9),
    "il-central-1": (32.1, 34.8),
    "me-south-1": (26.1, 50.6),
    "me-central-1": (25.2, 55.3),
    "af-south-1": (-33.9, 18.4),
    "ap-east-1": (22.3, 114.2),
    "ap-south-1": (19.1, 72.9),
    "ap-south-2": (17.4, 78.5),
    "ap-northeast-1": (35.7, 139.7),
    "ap-northeast-2": (37.6, 127.0),
    "ap-northeast-3": (34.7, 135.5),
    "ap-southeast-1": (1.35, 103.8),
    "ap-southeast-2": (-33.9, 151.2),
    "ap-southeast-3": (-6.2, 106.8),
    "ap-southeast-4": (-37.8, 145.0),
    "ap-southeast-5": (3.1, 101.7),
    "ap-southeast-7": (13.8, 100.5),
}


def rtt_ms(a: str, b: str) -> float:
    """Round trip between two regions: measured where known, else estimated from distance."""
    if a == b:
        return INTRA_REGION_RTT_MS
    measured = MEASURED_RTT_MS.get(frozenset((a, b)))
    if measured is not None:
        return measured
    (lat1, lon1), (lat2, lon2) = REGION_CITY[a], REGION_CITY[b]
    p1, p2, dl = math.radians(lat1), math.radians(lat2), math.radians(lon2 - lon1)
    central = math.acos(min(1.0, math.sin(p1) * math.sin(p2) + math.cos(p1) * math.cos(p2) * math.cos(dl)))
    return round(2 * 1.5 * 6371 * central / 200 + 2, 1)


@dataclass(frozen=True)
class Voters:
    """Voters per region, as the failure-domain analysis counts them."""

    per_region: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.per_region.values())

    @property
    def quorum(self) -> int:
        return self.total // 2 + 1

    def majority_rtt_ms(self, leader_region: str, survivors: dict[str, int] | None = None) -> float | None:
        """RTT from a leader in `leader_region` to the nearest (quorum - 1) other voters; None if too few."""
        voters = survivors if survivors is not None else self.per_region
        others = sorted(
            rtt_ms(leader_region, region)
            for region, count in voters.items()
            for _ in range(count - (1 if region == leader_region else 0))
        )
        needed = self.quorum - 1
        if needed == 0:
            return 0.0
        return others[needed - 1] if len(others) >= needed else None

    def worst_rtt_ms(self) -> float:
        regions = [r for r, n in self.per_region.items() if n]
        return max((rtt_ms(a, b) for a in regions for b in regions), default=0.0)
