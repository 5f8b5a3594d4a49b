"""Cross-stack wiring: each stack reads the stacks of higher priority, never the other way.

References stay acyclic because stacks deploy in priority order (primary first).
"""

from __future__ import annotations

import functools
from typing import Any

import pulumi

from components.shared.earlier import EarlierRegion
from inferadb.stack.exports import ExportsError, check_export


def earlier_stacks(regions: tuple[str, ...]) -> dict[str, pulumi.StackReference]:
    """A StackReference to every region deployed before this one (the plan's `earlier`, in priority order)."""
    org, project = pulumi.get_organization(), pulumi.get_project()
    return {region: pulumi.StackReference(f"stack-{region}", f"{org}/{project}/{region}") for region in regions}


def earlier_regions(references: dict[str, pulumi.StackReference], primary: str) -> dict[str, EarlierRegion]:
    """Each earlier region's exports, every value checked against its type before use."""
    return {region: _read(region, reference, region == primary) for region, reference in references.items()}


def _read(region: str, reference: pulumi.StackReference, primary: bool) -> EarlierRegion:
    def required(key: str) -> pulumi.Output[Any]:
        return reference.get_output(key).apply(functools.partial(_present, region, key))

    def optional(key: str) -> pulumi.Output[Any]:
        return reference.get_output(key).apply(lambda v: None if v is None else _checked(region, key, v))

    return EarlierRegion(
        region=region,
        vpc_id=required("vpc_id"),
        private_route_table_ids=required("private_route_table_ids"),
        tailnet_policy_tags=optional("tailnet_policy_tags"),
        # Every later region writes its Ledger names into the primary's zone and uses the primary's key:
        # missing, either is an error, never a new zone or key.
        ledger_zone_id=required("ledger_zone_id") if primary else pulumi.Output.from_input(None),
        email_blinding_key=required("email_blinding_key") if primary else pulumi.Output.from_input(None),
    )


def _present(region: str, key: str, value: Any) -> Any:
    if value is None:  # the SDK's require_output would fail with a bare KeyError
        raise pulumi.RunError(
            f"stack {region} exports no {key}; deploy {region} first (stacks deploy in priority order)"
        )
    return _checked(region, key, value)


def _checked(region: str, key: str, value: Any) -> Any:
    try:
        return check_export(region, key, value)
    except ExportsError as exc:
        raise pulumi.RunError(str(exc)) from None  # the update stops with the message, not a traceback


def require_primary_topology(primary: pulumi.StackReference, primary_id: str, digest: str) -> pulumi.Output[str]:
    """Check the primary was deployed from this same topology (seed: consistent config everywhere).

    A preview (pull request) only warns, since the primary has not been updated yet; an update of
    a later region with a topology the primary does not run is an error: deploy the primary first.
    """

    def check(deployed: object) -> str:
        if deployed is None:
            pulumi.log.warn(f"stack {primary_id} exports no topology_digest yet; deploy {primary_id} first")
            return "unknown"
        if deployed != digest:
            message = (
                f"stack {primary_id} runs topology {deployed} but this stack's topology is {digest}; "
                f"deploy {primary_id} first (stacks deploy in priority order)"
            )
            if pulumi.runtime.is_dry_run():
                pulumi.log.warn(message)
            else:
                raise pulumi.RunError(message)
        return str(deployed)

    return primary.get_output("topology_digest").apply(check)
