"""What `verify` concludes from what it read: one line per check, PASS / WARN / FAIL."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from deploy.ledger_calls import ClusterView


@dataclass(frozen=True)
class Line:
    status: str
    region: str
    check: str
    message: str

    def text(self) -> str:
        return f"{self.status:<4} {self.region} {self.check}: {self.message}"


@dataclass(frozen=True)
class ControlState:
    ready: int
    desired: int
    held: str | None
    """The `inferadb.io/held` annotation: why Control runs no pod, or None."""


class Probe(Protocol):
    """How verify reads a live region (deploy/probe.py: kubectl and AWS; tests: loopback stand-ins)."""

    def api(self, region: str) -> str | None:
        """None when the Kubernetes API answers; otherwise why not."""

    def node_ids(self, region: str) -> dict[str, int | None]:
        """Each Ledger pod of the region -> the node id it reports (None: it did not answer)."""

    def cluster(self, region: str) -> ClusterView | None:
        """GetClusterInfo from the region's ordinal 0 (None: it did not answer)."""

    def control(self, region: str) -> ControlState | None:
        """Control's StatefulSet (None in a witness region)."""

    def route_problems(self, region: str) -> list[str]:
        """Cross-region routes that are not active (a stopped router, a deleted peering)."""

    def router_reports(self, region: str) -> list[str] | None:
        """Routers whose running instance has not reported a finished boot (None: no routers here)."""


def verify_region(region: str, probe: Probe, every_node: dict[str, int | None]) -> list[Line]:
    problem = probe.api(region)
    if problem:
        return [Line("FAIL", region, "api", problem)]
    lines = [Line("PASS", region, "api", "the Kubernetes API answers")]
    lines += _membership(region, probe.cluster(region), every_node)
    lines.append(_control(region, probe.control(region)))
    problems = probe.route_problems(region)
    lines.append(
        Line("FAIL", region, "routes", "; ".join(problems))
        if problems
        else Line("PASS", region, "routes", "every cross-region route is active")
    )
    silent = probe.router_reports(region)
    if silent is not None:
        lines.append(
            Line("FAIL", region, "routers", "; ".join(silent))
            if silent
            else Line("PASS", region, "routers", "every router's running instance reported a finished boot")
        )
    return lines


def _membership(region: str, view: ClusterView | None, every_node: dict[str, int | None]) -> list[Line]:
    if view is None:
        return [Line("FAIL", region, "voters", "ordinal 0 did not answer GetClusterInfo")]
    silent = sorted(pod for pod, node in every_node.items() if node is None)
    missing = sorted(pod for pod, node in every_node.items() if node is not None and node not in view.voters())
    lines = []
    if silent or missing:
        parts = [f"no answer from {', '.join(silent)}"] if silent else []
        parts += [f"not voters: {', '.join(missing)}"] if missing else []
        lines.append(Line("FAIL", region, "voters", "; ".join(parts)))
    else:
        lines.append(Line("PASS", region, "voters", f"all {len(every_node)} Ledger nodes of every region vote"))
    leaders = [m.node_id for m in view.members if m.is_leader]
    if view.leader_id and leaders == [view.leader_id] and view.leader_id in view.voters():
        lines.append(Line("PASS", region, "leader", f"one leader, node {view.leader_id}, term {view.term}"))
    else:
        message = f"no single leader (leader_id {view.leader_id}, flagged {leaders})"
        lines.append(Line("FAIL", region, "leader", message))
    return lines


def _control(region: str, state: ControlState | None) -> Line:
    if state is None:
        return Line("PASS", region, "control", "no Control here (a witness region)")
    if state.held:
        return Line("WARN", region, "control", f"held at 0 replicas: {state.held}")
    if state.ready == state.desired:
        return Line("PASS", region, "control", f"{state.ready} of {state.desired} pods ready (/readyz)")
    return Line("FAIL", region, "control", f"{state.ready} of {state.desired} pods ready (/readyz)")
