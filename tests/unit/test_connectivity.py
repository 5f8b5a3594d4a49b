"""Cross-region connectivity, both modes: the shipped Tailscale topology and examples/peering.yaml."""

from __future__ import annotations

from pathlib import Path

from inferadb.model.topology import load_topology
from inferadb.plan.addressing import advertise_address, join_seeds, ledger_endpoints
from inferadb.plan.region import TailnetPlan, plan_region
from inferadb.plan.router_boot import up_flags, user_data

ROOT = Path(__file__).resolve().parents[2]


def test_the_router_boot_never_carries_the_key_and_routes_without_masquerading() -> None:
    topology = load_topology(ROOT / "topology.yaml")
    plan = plan_region(topology, "eu-central-1").connectivity
    assert isinstance(plan, TailnetPlan)
    router = plan.router
    assert router.advertise_routes == topology.regions["eu-central-1"].private_cidrs
    assert router.remote_routes == topology.regions["us-west-1"].private_cidrs
    assert router.arm  # t4g.small: the ARM image
    # One router per zone, each advertising only its own zone's private subnet.
    assert [z.advertise_routes for z in router.zones] == [(c,) for c in router.advertise_routes]
    assert [z.hostname for z in router.zones] == [
        "inferadb-router-eu-central-1",
        "inferadb-router-eu-central-1-1",
        "inferadb-router-eu-central-1-2",
    ]
    zone = router.zones[1]
    boot = user_data(router, zone, "eu-central-1", "/inferadb/eu-central-1/tailscale-router-auth-key")
    assert boot.startswith("#!/bin/bash\nset -euo pipefail\n")
    assert "net.ipv4.ip_forward = 1" in boot
    assert "--with-decryption" in boot
    assert "tskey" not in boot
    up = next(line for line in boot.splitlines() if line.startswith("retry tailscale up "))
    assert up.split()[3:] == up_flags(zone, "/run/inferadb-router.key")
    assert f"--advertise-routes={zone.advertise_routes[0]}" in up
    assert "--accept-dns=false" in up
    assert boot.index("tailscale up") < boot.index("rm -f /run/inferadb-router.key")


def test_every_region_joins_with_one_literal_per_node_of_every_region() -> None:
    topology = load_topology(ROOT / "topology.yaml")
    seeds = join_seeds(topology)
    for region in topology.ordered_regions():
        endpoints = ledger_endpoints(topology, region)
        assert [e.seed for e in endpoints] == [s for s in seeds if s in {e.seed for e in endpoints}]
        for endpoint in endpoints:
            # ordinal n takes address n of each zone's reserved block; its seed is one of those
            assert endpoint.seed.removesuffix(":50051") in endpoint.addresses
            assert len(endpoint.addresses) == region.zone_count
    assert seeds[0] == "10.10.31.224:50051"  # us-west-1, ordinal 0, zone 0's block 10.10.31.224/28
    assert seeds[1] == "10.10.63.225:50051"  # ordinal 1, seeded in the second zone
    assert len(seeds) == len(set(seeds)) == 6
    assert (
        advertise_address(topology.regions["eu-central-1"])
        == "inferadb-ledger-$(POD_INDEX).eu-central-1.ledger.inferadb.internal:50051"
    )
