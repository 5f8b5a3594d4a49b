"""The closing summary of a plan: the whole estate once, after the stacks (and `--json` of it).

What is the same for every stack (the failure-domain table, whether the layout outlives a region,
latency and failover) is printed here once instead of once per stack; every warning is printed once
with the regions it applies to.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from inferadb.model.topology import Topology
from synth.cost import Estimate
from synth.report import latency_lines, region_loss_lines

WARNING_PREFIX = "warning: "


@dataclass
class StackOutcome:
    stack: str
    resources: int
    deploy_seconds: float
    mandatory: int
    advisory: int
    estimate: Estimate


@dataclass
class EstateSummary:
    topology: Topology
    stacks: list[StackOutcome] = field(default_factory=list)
    warnings: dict[str, list[str]] = field(default_factory=dict)
    """Warning text -> the stacks it was raised for, in the order they were evaluated."""

    def add_warnings(self, stack: str, texts: list[str]) -> None:
        for text in texts:
            regions = self.warnings.setdefault(text, [])
            if stack not in regions:
                regions.append(stack)

    def all_warnings(self) -> dict[str, list[str]]:
        """The stacks' warnings, then the estate's own (Raft timing across regions) for every region."""
        every = [s.stack for s in self.stacks]
        _, timing = split_warnings("\n".join(latency_lines(self.topology)))
        return {**self.warnings, **{text: every for text in timing if text not in self.warnings}}

    @property
    def total_usd(self) -> float:
        return round(sum(s.estimate.total_usd for s in self.stacks), 2)

    def to_dict(self) -> dict[str, Any]:
        domains = self.topology.failure_domains()
        regions = {r.id: r for r in self.topology.ordered_regions()}
        return {
            "regions": [
                {"id": s.stack, "priority": regions[s.stack].priority, "role": regions[s.stack].role}
                for s in self.stacks
            ],
            "voters": domains.voters,
            "quorum": domains.quorum,
            "losses": [
                {"loss": s.name, "voters_left": s.remaining, "keeps_quorum": s.survives} for s in domains.scenarios()
            ],
            "deploy_minutes": round(sum(s.deploy_seconds for s in self.stacks) / 60),
            "monthly_usd": {s.stack: s.estimate.total_usd for s in self.stacks} | {"estate": self.total_usd},
            "unpriced": {s.stack: s.estimate.unpriced for s in self.stacks if s.estimate.unpriced},
            "policies": {s.stack: {"mandatory": s.mandatory, "advisory": s.advisory} for s in self.stacks},
            "warnings": [{"warning": text, "regions": where} for text, where in self.all_warnings().items()],
        }

    def render(self) -> str:
        summary = self.to_dict()
        domains = self.topology.failure_domains()
        regions_ = ", ".join(f"{r['id']} (priority {r['priority']}, {r['role']})" for r in summary["regions"])
        lines = [
            f"== estate: {len(self.stacks)} region(s), {summary['voters']} Ledger voters, quorum {summary['quorum']}",
            f"regions: {regions_}",
            "failure domains:",
            *("  " + line for line in domains.table().splitlines()),
            *region_loss_lines(self.topology),
            *(line for line in latency_lines(self.topology) if WARNING_PREFIX not in line),
            f"deploy: about {summary['deploy_minutes']} min, stacks one after another in priority order",
            "monthly estimate (list prices, USD; build/<stack>/cost.json has every line and its source):",
        ]
        for outcome in self.stacks:
            estimate = outcome.estimate
            notes = []
            if estimate.at_us_east_1:
                notes.append(f"{len(estimate.at_us_east_1)} line(s) at us-east-1 prices")
            if estimate.unpriced:
                notes.append(f"not priced: {', '.join(estimate.unpriced)}")
            lines.append(
                f"  {outcome.stack:<16} ${estimate.total_usd:>10,.2f}" + (f"  ({'; '.join(notes)})" if notes else "")
            )
        lines.append(f"  {'estate':<16} ${self.total_usd:>10,.2f}")
        lines.append(
            "policies: " + "; ".join(f"{s.stack} {s.mandatory} mandatory, {s.advisory} advisory" for s in self.stacks)
        )
        warnings = self.all_warnings()
        if warnings:
            lines.append("warnings (each once, with the regions it applies to):")
            lines += [f"  {text} [{', '.join(where)}]" for text, where in warnings.items()]
        return "\n".join(lines)


def split_warnings(text: str) -> tuple[str, list[str]]:
    """The stack's printed summary without its warning lines, and those warnings (prefix removed)."""
    kept, warnings = [], []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith(WARNING_PREFIX):
            warnings.append(stripped.removeprefix(WARNING_PREFIX))
        else:
            kept.append(line)
    return "\n".join(kept), warnings
