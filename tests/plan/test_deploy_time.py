"""The deploy-time estimate: critical paths on hand-built graphs, and the edges the program must have."""

from __future__ import annotations

from synth.deploy_time import critical_path, dependency_graph
from tests.recorded import StackPlan


def _waits_for(stack: StackPlan, urn: str, target: str) -> bool:
    graph = dependency_graph(stack.resources)
    seen, todo = set(), [urn]
    while todo:
        current = todo.pop()
        if current == target:
            return True
        if current not in seen:
            seen.add(current)
            todo += graph.get(current, [])
    return False


def test_the_edges_that_must_exist(each_stack: StackPlan) -> None:
    def urn(kind: str, name: str) -> str:
        return str(
            next(
                r["urn"]
                for r in each_stack.resources
                if r["type"] == kind and (r["props"].get("metadata") or {}).get("name", r["name"]) == name
            )
        )

    groups = {
        g["props"]["labels"]["inferadb.io/pool"]: g["urn"] for g in each_stack.of_type("aws:eks/nodeGroup:NodeGroup")
    }
    ledger = urn("kubernetes:apps/v1:StatefulSet", "inferadb-ledger")
    engine = urn("kubernetes:apps/v1:Deployment", "inferadb-engine")
    coredns = next(a["urn"] for a in each_stack.of_type("aws:eks/addon:Addon") if a["props"]["addonName"] == "coredns")
    cni = next(a["urn"] for a in each_stack.of_type("aws:eks/addon:Addon") if a["props"]["addonName"] == "vpc-cni")
    assert _waits_for(each_stack, ledger, groups["ledger"])
    assert _waits_for(each_stack, ledger, coredns)
    assert _waits_for(each_stack, engine, groups["general"])
    cleanup = urn("kubernetes:apps/v1:Deployment", "local-volume-node-cleanup")
    provisioner = next(r["urn"] for r in each_stack.of_type("kubernetes:apps/v1:DaemonSet"))
    assert _waits_for(each_stack, cleanup, groups["ledger"])  # awaited until ready: it needs its nodes
    assert _waits_for(each_stack, provisioner, groups["ledger"])
    assert all(_waits_for(each_stack, g, cni) for g in groups.values())
    assert _waits_for(
        each_stack, urn("kubernetes:core/v1:Namespace", "inferadb"), each_stack.one("aws:eks/cluster:Cluster")["urn"]
    )


def test_shipped_estimate_runs_through_the_cluster_and_the_nodes(us_west_1: StackPlan) -> None:
    estimate = critical_path(us_west_1.resources)
    kinds = [name.split()[0] for name, _ in estimate.chain]
    assert kinds.index("Cluster") < kinds.index("NodeGroup") < len(kinds) - 1
    assert 14 * 60 < estimate.seconds < 25 * 60
