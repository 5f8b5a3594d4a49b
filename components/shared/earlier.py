"""What a stack reads of each region deployed before it, as typed outputs (checked by the stack layer)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pulumi


@dataclass(frozen=True)
class EarlierRegion:
    """One earlier region's exports. Each value is checked against its type before a resource sees
    it (inferadb/stack/exports.py); a key the earlier stack must export fails the update if absent."""

    region: str
    vpc_id: pulumi.Output[str]
    private_route_table_ids: pulumi.Output[list[str]]
    tailnet_policy_tags: pulumi.Output[Any]
    """The primary, under Tailscale: None until its policy declares the tags (keys must wait)."""
    ledger_zone_id: pulumi.Output[Any]
    """The primary: the private hosted zone of the Ledger names (both modes); None for other regions."""
    email_blinding_key: pulumi.Output[Any]
    """The primary: the e-mail blinding key every region's Ledger and Control share (a secret)."""
