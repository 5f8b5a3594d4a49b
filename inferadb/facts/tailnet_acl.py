"""The tailnet policy file for site-to-site routing: least privilege, with tests Tailscale runs.

Each region runs one subnet router (tagged `tag:inferadb-router`) that advertises its region's
private subnets. The policy lets each region's private subnets reach every other region's Ledger
endpoint blocks on 50051 and nothing else: no pod, node or Engine joins the tailnet. Routers keep
the source address (`--snat-subnet-routes=false`), so the rules name subnets, and the routes are
approved by `autoApprovers` for the router tag alone. Tailscale evaluates `tests` on every save and
rejects a policy that breaks one. TCP replies pass Tailscale's packet filter without a rule of their
own (tailscale/tailscale `wgengine/filter/filter.go` at v1.84.3, 7648989: a TCP packet that is not a
SYN is accepted as "tcp non-syn"), so only the direction a connection is opened in needs one.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from inferadb.facts.ports import LEDGER_PORT

ROUTER_TAG = "tag:inferadb-router"
TAG_OWNER = "autogroup:admin"
OUTSIDER = "inferadb-test-other-device"
OUTSIDER_ADDRESS = "100.64.0.2"  # a tailnet (CGNAT) address no rule names


@dataclass(frozen=True)
class RegionRoutes:
    region: str
    private_cidrs: tuple[str, ...]
    """What the region's router advertises: where its nodes (the sources) and endpoints live."""
    endpoint_blocks: tuple[str, ...]
    """The Ledger endpoint blocks: the only destinations other regions may reach."""


def tailnet_policy(regions: Sequence[RegionRoutes]) -> dict[str, Any]:
    pairs = [(a, b) for a in regions for b in regions if a.region != b.region]
    grants = [
        {"src": list(a.private_cidrs), "dst": list(b.endpoint_blocks), "ip": [f"tcp:{LEDGER_PORT}"]} for a, b in pairs
    ]
    hosts = {_probe_name(r.region): _probe_address(r) for r in regions} | {OUTSIDER: OUTSIDER_ADDRESS}
    tests = [
        {
            "src": _probe_name(a.region),
            "accept": [f"{_first(b.endpoint_blocks[0])}:{LEDGER_PORT}"],
            "deny": [f"{_first(b.endpoint_blocks[0])}:22", f"{_probe_address(b)}:{LEDGER_PORT}"],
        }
        for a, b in pairs
    ]
    # Any other tailnet device reaches no Ledger endpoint: the routes carry Ledger traffic only.
    tests.append({"src": OUTSIDER, "deny": [f"{_first(r.endpoint_blocks[0])}:{LEDGER_PORT}" for r in regions]})
    return {
        "tagOwners": {ROUTER_TAG: [TAG_OWNER]},
        "hosts": hosts,
        "grants": grants,
        "autoApprovers": {"routes": {cidr: [ROUTER_TAG] for r in regions for cidr in r.private_cidrs}},
        "tests": tests,
    }


def _probe_name(region: str) -> str:
    """A host alias for one node address of the region: what the policy tests send from."""
    return f"inferadb-node-{region}"


def _probe_address(region: RegionRoutes) -> str:
    """An address of the region's first private subnet that no endpoint block holds (a node's)."""
    subnet = ipaddress.IPv4Network(region.private_cidrs[0])
    blocks = [ipaddress.IPv4Network(b) for b in region.endpoint_blocks]
    return str(next(a for a in subnet.hosts() if int(a) - int(subnet[0]) >= 10 and not any(a in b for b in blocks)))


def _first(block: str) -> str:
    return str(ipaddress.IPv4Network(block)[0])
