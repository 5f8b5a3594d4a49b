"""How regions reach each other: Tailscale subnet routers or VPC peering (the `connectivity` block)."""

from __future__ import annotations

import ipaddress
from typing import Annotated, Any, Literal

from pydantic import Field, field_validator, model_validator

from inferadb.facts.catalog import is_instance_type
from inferadb.model.workloads import Count, StrictModel

TAILNET_CGNAT = ipaddress.IPv4Network("100.64.0.0/10")  # Tailscale's address range
# Fields of the sidecar design: the pinned Ledger ignores proxies, so the sidecar could not carry Raft.
RETIRED = {
    "ledger_outbound": "Ledger dials peers without a proxy; the subnet routers carry its traffic",
    "magic_dns_suffix": "Ledger nodes are addressed by their load balancers, not tailnet names",
}


class TailscaleConnectivity(StrictModel):
    mode: Literal["tailscale"]
    """`tailscale` or `peering`: picks this block's fields."""
    tailnet: str = Field("-", pattern=r"^(?:-|[A-Za-z0-9][A-Za-z0-9._@+-]{0,252})$")
    """The tailnet's name; `-` is the credential's own tailnet."""
    auth_key_expiry_seconds: Count = Field(86400, ge=300, le=90 * 86400)
    """Lifetime of the routers' auth keys (a key is only used when a router instance is created)."""
    router_instance_type: str = "t4g.small"
    """The EC2 type of each region's subnet router (Graviton types get the ARM image)."""
    router_public_address: bool = True
    """Each router in its zone's public subnet with a public address, admitting WireGuard (UDP 41641):
    the routers of different regions then talk directly. `false`: each router in its zone's private
    subnet, out through the NAT gateway, nothing admitted from the internet; behind NAT gateways on
    both sides Tailscale usually cannot form a direct path and relays through its DERP servers (more
    latency on every Raft round trip, and DERP's throughput) (docs/connectivity.md)."""
    tailscale_version: str = Field("1.84.3", pattern=r"^\d+\.\d+\.\d+$")
    """The tailscale package the routers install, pinned."""
    overwrite_existing_policy: bool = False
    """Dedicated tailnet (no `policy_base`): whether the primary may replace a policy it did not write."""
    policy_base: str | None = Field(None, pattern=r"^[A-Za-z0-9._/-]{1,255}\.json$")
    """A shared tailnet: the tailnet's current policy as a JSON file (path relative to the topology file),
    which the primary writes back with this program's rules merged in (docs/connectivity.md)."""

    @model_validator(mode="before")
    @classmethod
    def _retired(cls, data: Any) -> Any:
        if isinstance(data, dict):
            for name, why in RETIRED.items():
                if name in data:
                    raise ValueError(f"connectivity.{name} is no longer used ({why}); remove it")
        return data

    @field_validator("router_instance_type")
    @classmethod
    def _instance_type(cls, name: str) -> str:
        if not is_instance_type(name):
            raise ValueError(f"{name!r} is not an EC2 instance type (family.size, e.g. t4g.small)")
        return name


class PeeringConnectivity(StrictModel):
    mode: Literal["peering"]
    """`tailscale` or `peering`: picks this block's fields."""


Connectivity = Annotated[TailscaleConnectivity | PeeringConnectivity, Field(discriminator="mode")]
