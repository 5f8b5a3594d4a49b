"""What a stack exports for the stacks after it, as a typed model that is checked before use.

A later region builds on its earlier regions' outputs (VPC ids, route tables, the primary's
Ledger zone and secrets). Read from a state backend they are what the earlier `pulumi up`
wrote; read offline (`synth --stack`) they come from a file anyone can edit. Either way, a value of
the wrong shape must stop the stack with the key's name, not become a resource property.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model

_AWS_ID = r"^[a-z]+-[0-9a-f]{8,17}$"


class StackExports(BaseModel):
    """The outputs every region's stack exports that a later stack reads."""

    model_config = ConfigDict(extra="allow", frozen=True, strict=True)

    region: str
    topology_digest: str = Field(pattern=r"^[0-9a-f]{16}$")
    vpc_id: str = Field(pattern=_AWS_ID)
    vpc_cidr: str
    private_route_table_ids: list[str] = Field(min_length=1)
    tailnet_policy_tags: list[str] | None = None
    """The primary, under Tailscale: the tags its policy declares (later regions' keys need them)."""
    ledger_zone_id: str | None = None
    """The primary: the private hosted zone of the Ledger names, which every region's VPC joins."""
    email_blinding_key: str | None = None
    """The primary: the e-mail blinding key every region's Ledger and Control read (a secret)."""


class ExportsError(ValueError):
    """Earlier-stack exports that cannot be used; `str()` names the stack and the key."""


def check_exports(stack: str, exports: Mapping[str, Any], source: str) -> StackExports:
    """`exports` as a StackExports, or ExportsError naming `source`, the key and what is wrong."""
    try:
        return StackExports.model_validate(dict(exports))
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or '(top)'}: {e['msg']}" for e in exc.errors())
        raise ExportsError(
            f"{source}: the exports of stack {stack} cannot be used ({problems}); "
            f"deploy (or evaluate) {stack} again to write them"
        ) from None


def check_export(stack: str, key: str, value: Any) -> Any:
    """One export, checked against its type in StackExports (for values read at deploy time)."""
    try:
        return _one_field(key).model_validate({key: value}).model_dump()[key]
    except ValidationError as exc:
        problem = exc.errors()[0]["msg"]
        raise ExportsError(
            f"stack {stack} exports {key} = {value!r}, which cannot be used ({problem}); update {stack} first"
        ) from None


@functools.cache
def _one_field(key: str) -> type[BaseModel]:
    field = StackExports.model_fields[key]
    definition: Any = (field.annotation, field)
    return create_model(f"Export_{key}", __config__=ConfigDict(strict=True), **{key: definition})
