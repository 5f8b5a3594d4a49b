"""Cross-region connectivity, both modes: the shipped Tailscale topology and examples/peering.yaml."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from inferadb.components.tailnet.sidecar import SidecarSpec, app_proxy_env, tailscale_container
from inferadb.model.topology import load_topology
from inferadb.plan.addressing import advertise_address, join_seeds, ledger_endpoints

ROOT = Path(__file__).resolve().parents[2]


def test_sidecar_is_userspace_restricted_and_reads_the_auth_secret() -> None:
    container = tailscale_container(
        SidecarSpec(
            image="ghcr.io/tailscale/tailscale:v1.84.3",
            hostname="ledger-us-west-1-$(POD_INDEX)",
            auth_secret="tailscale-auth",
            state_secret="ts-state-inferadb-ledger-$(POD_INDEX)",
            outbound="socks5",
        )
    )
    env = {e["name"]: e for e in container["env"]}
    assert env["TS_USERSPACE"]["value"] == "true"
    assert env["TS_AUTHKEY"]["valueFrom"]["secretKeyRef"] == {"name": "tailscale-auth", "key": "authkey"}
    assert env["TS_KUBE_SECRET"]["value"] == "ts-state-inferadb-ledger-$(POD_INDEX)"
    assert env["TS_SOCKS5_SERVER"]["value"] == "127.0.0.1:1055"
    names = [e["name"] for e in container["env"]]
    assert names.index("POD_INDEX") < names.index("TS_HOSTNAME")  # defined before it is expanded
    security = container["securityContext"]
    assert security["runAsNonRoot"]
    assert not security["allowPrivilegeEscalation"]
    assert security["capabilities"] == {"drop": ["ALL"]}
    assert "NET_ADMIN" not in json.dumps(container)


@pytest.mark.parametrize(("outbound", "variable"), [("socks5", "ALL_PROXY"), ("http-proxy", "HTTPS_PROXY")])
def test_outbound_path_is_configurable(outbound: Any, variable: str) -> None:
    assert variable in {e["name"] for e in app_proxy_env(outbound)}


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
