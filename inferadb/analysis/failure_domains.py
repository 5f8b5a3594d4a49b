"""Raft failure-domain arithmetic for the Ledger membership: plain data, no Pulumi, no pydantic.

Quorum is a strict majority of voters. A loss is survivable when the voters left still form a
quorum, so the cluster can elect a leader and commit writes without a human.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass


@dataclass(frozen=True)
class RegionVoters:
    """The Ledger voters one region contributes, and the zones its pods spread over."""

    region: str
    voters: int
    zones: int
    routed: bool = False
    """Its cross-region path goes through a subnet router in each zone (Tailscale mode), each carrying
    only its own zone's traffic: losing a router cuts off that zone's voters, as losing the zone does."""

    @property
    def worst_zone_loss(self) -> int:
        # Pods spread with maxSkew 1, so the fullest zone holds ceil(voters / zones) of them.
        return math.ceil(self.voters / self.zones) if self.voters else 0


@dataclass(frozen=True)
class LossScenario:
    """One failure and what it leaves of the Raft membership."""

    name: str
    lost: int
    remaining: int
    quorum: int
    members: int = 0
    """Voters the membership counts (0: the topology's own count)."""

    @property
    def survives(self) -> bool:
        return self.remaining >= self.quorum


@dataclass(frozen=True)
class FailureDomains:
    regions: tuple[RegionVoters, ...]

    @property
    def voters(self) -> int:
        return sum(r.voters for r in self.regions)

    @property
    def quorum(self) -> int:
        return self.voters // 2 + 1

    def _loss(self, name: str, lost: int) -> LossScenario:
        return LossScenario(name, lost, self.voters - lost, self.quorum)

    def node_loss(self) -> LossScenario:
        return self._loss("one Ledger node", min(1, self.voters))

    def zone_loss(self, region: str) -> LossScenario:
        return self._loss(f"one AZ of {region}", self._region(region).worst_zone_loss)

    def router_loss(self, region: str) -> LossScenario:
        """One router instance of a routed region (a failure, or its replacement): its zone's voters
        no longer reach the other regions, and the worst zone to lose holds the most voters."""
        return self._loss(f"one router of {region}", self._region(region).worst_zone_loss)

    def partition(self, a: str, b: str) -> LossScenario:
        """The path between two regions down, every other path up. A leader in a third region with
        voters still reaches everyone; otherwise a leader reaches its own side only."""
        votes_a, votes_b = self._region(a).voters, self._region(b).voters
        third = any(r.voters for r in self.regions if r.region not in (a, b))
        reachable = self.voters if third else max(self.voters - votes_a, self.voters - votes_b)
        return self._loss(f"partition {a} | {b}", self.voters - reachable)

    def region_loss(self, region: str) -> LossScenario:
        return self._loss(f"region {region}", self._region(region).voters)

    def replacement(self) -> LossScenario:
        """A node replaced before Ledger has removed its old identity.

        The replacement joins with an empty disk and a new node id, as a new voter; the old id stays a
        voter until the GLOBAL leader has marked it Dead (no contact for `dead_node_timeout`, 300 s,
        confirmed unreachable by a quorum of voters) and the DR scheduler has removed it from every
        data region and then from GLOBAL (inferadb/ledger 53c2112: `crates/server/src/bootstrap.rs`
        `check_peer_liveness_quorum`, `crates/server/src/dr_scheduler.rs`). Until then the membership
        has one voter more, one of them unreachable.
        """
        members = self.voters + 1
        return LossScenario("node replaced, old id kept", 1, self.voters, members // 2 + 1, members)

    def scenarios(self) -> list[LossScenario]:
        out = [self.node_loss(), self.replacement()]
        out += [self.zone_loss(r.region) for r in self.regions]
        out += [self.router_loss(r.region) for r in self.regions if r.routed]
        out += [self.partition(a.region, b.region) for a, b in itertools.combinations(self.regions, 2)]
        out += [self.region_loss(r.region) for r in self.regions]
        return out

    def unsurvivable_regions(self) -> list[LossScenario]:
        return [s for s in (self.region_loss(r.region) for r in self.regions) if not s.survives]

    def _region(self, region: str) -> RegionVoters:
        return next(r for r in self.regions if r.region == region)

    def table(self) -> str:
        """The human table `synth` prints: voters per region, then every loss scenario."""
        per_region = ", ".join(f"{r.region}={r.voters} over {r.zones} AZ" for r in self.regions)
        lines = [f"Ledger voters: {per_region}; total {self.voters}, quorum {self.quorum}"]
        scenarios = self.scenarios()
        width = max(28, *(len(s.name) for s in scenarios))
        lines.append(f"  {'loss':<{width}} {'voters left':>11}  keeps quorum")
        for s in scenarios:
            verdict = "yes" if s.survives else "NO"
            lines.append(f"  {s.name:<{width}} {s.remaining:>5} of {s.members or self.voters:<3}  {verdict}")
        return "\n".join(lines)
