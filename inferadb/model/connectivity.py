"""How regions reach each other: a Tailscale tailnet or VPC peering (the `connectivity` block)."""

from __future__ import annotations

import ipaddress
from typing import Annotated, Literal

from pydantic import Field

from inferadb.model.workloads import Count, StrictModel

TAILNET_CGNAT = ipaddress.IPv4Network("100.64.0.0/10")  # Tailscale's address range
LedgerOutbound = Literal["socks5", "http-proxy"]


class TailscaleConnectivity(StrictModel):
    mode: Literal["tailscale"]
    """`tailscale` or `peering`: picks this block's fields."""
    tailnet: str = Field("-", pattern=r"^(?:-|[A-Za-z0-9][A-Za-z0-9._@+-]{0,252})$")
    """The tailnet's name; `-` is the credential's own tailnet."""
    magic_dns_suffix: str | None = Field(None, pattern=r"^[a-z0-9-]+\.ts\.net$")
    """e.g. `tail1234.ts.net`: full MagicDNS names in ADVERTISE/JOIN; unset, short names through the sidecar's proxy."""
    auth_key_expiry_seconds: Count = Field(86400, ge=300, le=90 * 86400)
    """Lifetime of the auth keys the program creates."""
    ledger_outbound: LedgerOutbound = "socks5"
    """How Ledger dials peers through the userspace sidecar."""
    overwrite_existing_policy: bool = False
    """Dedicated tailnet (no `policy_base`): whether the primary may replace a policy it did not write."""
    policy_base: str | None = Field(None, pattern=r"^[A-Za-z0-9._/-]{1,255}\.json$")
    """A shared tailnet: the tailnet's current policy as a JSON file (path relative to the topology file),
    which the primary writes back with this program's rules merged in (docs/connectivity.md)."""


class PeeringConnectivity(StrictModel):
    mode: Literal["peering"]
    """`tailscale` or `peering`: picks this block's fields."""


Connectivity = Annotated[TailscaleConnectivity | PeeringConnectivity, Field(discriminator="mode")]
