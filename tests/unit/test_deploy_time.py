"""The deploy-time estimate: critical paths on hand-built graphs, and the edges the program must have."""

from __future__ import annotations

from typing import Any

import yaml

from inferadb.model.topology import parse_topology
from synth.bench import generated_topology
from synth.deploy_time import critical_path, dependency_graph, kubernetes_seconds


def record(
    urn: str,
    kind: str = "aws:ec2/vpc:Vpc",
    deps: tuple[str, ...] = (),
    parent: str | None = None,
    custom: bool = True,
    provider: str | None = None,
    props: dict[str, Any] | None = None,
) -> dict[str, Any]:
    return {
        "urn": urn,
        "type": kind,
        "name": urn,
        "custom": custom,
        "parent": parent,
        "dependencies": list(deps),
        "provider": provider,
        "props": props or {},
    }


def test_a_chain_adds_up() -> None:
    graph = [
        record("vpc"),
        record("cluster", "aws:eks/cluster:Cluster", ("vpc",)),
        record("nodes", "aws:eks/nodeGroup:NodeGroup", ("cluster",)),
    ]
    estimate = critical_path(graph)
    assert estimate.seconds == 5 + 600 + 180
    assert [name.split()[-1] for name, _ in estimate.chain] == ["vpc", "cluster", "nodes"]
    assert (estimate.depth, estimate.widest) == (3, 1)


def test_parallel_branches_take_the_longest() -> None:
    graph = [
        record("vpc"),
        record("nat", "aws:ec2/natGateway:NatGateway", ("vpc",)),
        record("route", "aws:ec2/route:Route", ("vpc",)),
        record("sg", "aws:vpc/securityGroupIngressRule:X", ("vpc",)),
    ]
    estimate = critical_path(graph)
    assert estimate.seconds == 5 + 120
    assert estimate.widest == 3
    assert estimate.depth == 2


def test_dependencies_on_components_wait_for_their_children() -> None:
    graph = [
        record("component", "inferadb:x:Component", custom=False),
        record("cluster", "aws:eks/cluster:Cluster", parent="component"),
        record("after", "aws:ec2/route:Route", ("component",)),
    ]
    assert dependency_graph(graph)["after"] == {"cluster"}
    assert critical_path(graph).seconds == 602


def test_objects_wait_for_their_provider_and_its_cluster() -> None:
    graph = [
        record("cluster", "aws:eks/cluster:Cluster"),
        record("k8s", "pulumi:providers:kubernetes", ("cluster",)),
        record("ns", "kubernetes:core/v1:Namespace", provider="k8s::id", props={"kind": "Namespace"}),
    ]
    assert critical_path(graph).seconds == 600 + 0 + 1


def test_rollouts_follow_their_configuration() -> None:
    deployment = {
        "kind": "Deployment",
        "spec": {"template": {"spec": {"containers": [{"readinessProbe": {"periodSeconds": 5}}]}}},
    }
    assert kubernetes_seconds(deployment) == 40
    ordered = {"kind": "StatefulSet", "spec": {"replicas": 3, "template": {"spec": {"containers": [{}]}}}}
    assert kubernetes_seconds(ordered) == 3 * 50  # OrderedReady: one pod after the other
    assert kubernetes_seconds({**ordered, "metadata": {"annotations": {"pulumi.com/skipAwait": "true"}}}) == 1


def test_benchmark_topologies_are_valid() -> None:
    for regions in (2, 4, 8):
        topology = parse_topology(yaml.safe_load(yaml.safe_dump(generated_topology(regions))))
        assert len(topology.regions) == regions
