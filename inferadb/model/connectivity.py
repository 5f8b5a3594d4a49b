"""How regions reach each other: a Tailscale tailnet or VPC peering (the `connectivity` block)."""

from __future__ import annotations

import ipaddress
from typing import Annotated, Literal

from pydantic import Field

from inferadb.model.workloads import StrictModel

TAILNET_CGNAT = ipaddress.IPv4Network("100.64.0.0/10")  # Tailscale's address range


class TailscaleConnectivity(StrictModel):
    mode: Literal["tailscale"]
    tailnet: str = "-"
    magic_dns_suffix: str | None = Field(None, pattern=r"^[a-z0-9-]+\.ts\.net$")
    """e.g. `tail1234.ts.net`; unset: peers dial short MagicDNS names through the sidecar's proxy."""
    auth_key_expiry_seconds: int = Field(86400, ge=300, le=90 * 86400)
    ledger_outbound: Literal["socks5", "http-proxy"] = "socks5"
    overwrite_existing_policy: bool = False


class PeeringConnectivity(StrictModel):
    mode: Literal["peering"]
    engine_cross_region: bool = False


Connectivity = Annotated[TailscaleConnectivity | PeeringConnectivity, Field(discriminator="mode")]
