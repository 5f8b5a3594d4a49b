"""Cross-stack wiring: each stack reads the stacks of higher priority, never the other way.

References stay acyclic because stacks deploy in priority order (primary first).
"""

from __future__ import annotations

import pulumi


def earlier_stacks(regions: tuple[str, ...]) -> dict[str, pulumi.StackReference]:
    """A StackReference to every region deployed before this one (the plan's `earlier`, in priority order)."""
    org, project = pulumi.get_organization(), pulumi.get_project()
    return {region: pulumi.StackReference(f"stack-{region}", f"{org}/{project}/{region}") for region in regions}


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
