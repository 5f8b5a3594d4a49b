"""plan_region: what each region's stack derives from the topology, before any resource exists."""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Any

import pytest

from inferadb.facts.ports import LEDGER_PORT
from inferadb.model.topology import load_topology, parse_topology
from inferadb.plan.region import PeeringPlan, TailnetPlan, plan_region

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def shipped() -> Any:
    return load_topology(ROOT / "topology.yaml")


def test_the_primary_runs_init_and_reads_nobody(shipped: Any) -> None:
    plan = plan_region(shipped, "us-west-1")
    assert plan.is_primary
    assert plan.earlier == ()
    steps = plan.ledger.bootstrap
    assert steps.run_init
    assert steps.target == "10.10.31.224:50051"  # ordinal 0's load balancer, zone 0
    assert [v.name for v in steps.voters] == [
        f"inferadb-ledger-{n}.us-west-1.ledger.inferadb.internal:50051" for n in range(3)
    ]
    # Each voter is dialled at its own load balancer literal (its JOIN seed), in zone ordinal mod 2.
    assert [v.seed for v in steps.voters] == ["10.10.31.224:50051", "10.10.63.225:50051", "10.10.31.226:50051"]
    assert steps.provision == ("us-west-or", "us-east-va")  # its jurisdiction, then Control's default


def test_a_later_region_reads_every_earlier_one_and_never_runs_init(shipped: Any) -> None:
    plan = plan_region(shipped, "eu-central-1")
    assert not plan.is_primary
    assert plan.primary == "us-west-1"
    assert plan.earlier == ("us-west-1",)
    steps = plan.ledger.bootstrap
    assert not steps.run_init
    assert steps.target == "10.20.31.224:50051"  # its own ordinal 0, never the primary's
    assert tuple(v.name for v in steps.voters) == tuple(  # the primary's nodes (deployed before it) and its own
        f"inferadb-ledger-{n}.{r}.ledger.inferadb.internal:50051"
        for r in ("us-west-1", "eu-central-1")
        for n in range(3)
    )
    assert steps.provision == ("de-central-frankfurt",)


def test_worker_id_blocks_are_disjoint_in_priority_order(shipped: Any) -> None:
    bases = [plan_region(shipped, r).clients.control.worker_id_base for r in ("us-west-1", "eu-central-1")]  # type: ignore[union-attr]
    assert bases == [0, 100]


def test_every_region_joins_with_the_same_seeds_and_advertises_its_own_pods(shipped: Any) -> None:
    west, central = plan_region(shipped, "us-west-1"), plan_region(shipped, "eu-central-1")
    assert west.ledger.join == central.ledger.join
    assert len(west.ledger.join) == 6
    assert west.ledger.advertise.endswith(f":{LEDGER_PORT}")
    assert "us-west-1" in west.ledger.advertise
    assert "eu-central-1" in central.ledger.advertise


def test_quorum_counts_every_regions_voters(shipped: Any) -> None:
    assert plan_region(shipped, "us-west-1").ledger.quorum == 4  # 3 + 3 voters


def test_addons_come_in_two_waves_around_the_nodes(shipped: Any) -> None:
    cluster = plan_region(shipped, "us-west-1").cluster
    assert set(cluster.networking_addons) == {"vpc-cni", "kube-proxy", "eks-pod-identity-agent"}
    assert set(cluster.dns_addons) == {"coredns"}
    assert not cluster.coredns_tolerates_ledger  # a general pool exists for coredns


def test_only_the_ledger_pool_mounts_nvme_and_is_tainted(shipped: Any) -> None:
    pools = {p.pool: p for p in plan_region(shipped, "us-west-1").pools}
    assert (pools["ledger"].local_storage, pools["ledger"].tainted) == ("Mount", True)
    assert (pools["general"].local_storage, pools["general"].tainted) == (None, False)


def test_a_witness_runs_ledger_only_and_lets_coredns_onto_the_ledger_pool() -> None:
    witness = plan_region(load_topology(ROOT / "examples" / "witness.yaml"), "us-east-2")
    assert witness.clients is None
    assert [p.pool for p in witness.pools] == ["ledger"]
    assert witness.cluster.coredns_tolerates_ledger
    assert witness.ledger.replicas == 1


def test_tailscale_mode_plans_a_router_per_zone_for_the_other_regions(shipped: Any) -> None:
    mode = plan_region(shipped, "us-west-1").connectivity
    assert isinstance(mode, TailnetPlan)
    router = mode.router
    assert (router.zones[0].hostname, router.instance_type, router.tailscale_version) == (
        "inferadb-router-us-west-1",
        "t4g.small",
        "1.84.3",
    )
    assert router.remote_routes == shipped.regions["eu-central-1"].private_cidrs
    assert router.endpoint_blocks == shipped.regions["us-west-1"].endpoint_blocks


def test_peering_pairs_each_region_with_the_earlier_ones_and_every_region_may_dial_every_endpoint() -> None:
    topology = load_topology(ROOT / "examples" / "peering.yaml")
    plans = {r.id: plan_region(topology, r.id) for r in topology.ordered_regions()}
    modes = {region: plan.connectivity for region, plan in plans.items()}
    assert all(isinstance(m, PeeringPlan) for m in modes.values())
    peers = {region: [p.region for p in m.earlier_peers] for region, m in modes.items()}  # type: ignore[union-attr]
    assert peers == {"us-west-1": [], "eu-central-1": ["us-west-1"], "us-east-2": ["us-west-1", "eu-central-1"]}
    every_subnet = [c for p in plans.values() for c in p.network.private_cidrs]
    every_block = [b for p in plans.values() for b in p.network.endpoint_blocks]
    assert len(set(every_subnet)) == len(every_subnet) == len(every_block)
    for plan in plans.values():
        assert list(plan.ledger.seed_sources) == every_subnet
        assert list(plan.ledger.all_endpoint_blocks) == every_block
        for subnet, block in zip(plan.network.private_cidrs, plan.network.endpoint_blocks, strict=True):
            assert ipaddress.IPv4Network(block).subnet_of(ipaddress.IPv4Network(subnet))


def test_environment_sets_nat_and_flow_log_retention(raw: dict[str, Any]) -> None:
    production = plan_region(parse_topology(raw), "us-west-1").network
    raw["environment"] = "dev"
    dev = plan_region(parse_topology(raw), "us-west-1").network
    assert (production.nat_gateway_per_zone, production.flow_log_retention_days) == (True, 365)
    assert (dev.nat_gateway_per_zone, dev.flow_log_retention_days) == (False, 30)
