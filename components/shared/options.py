"""What a component passes on to its children from the options it was given."""

from __future__ import annotations

import pulumi


def inherited_waits(opts: pulumi.ResourceOptions | None) -> list[pulumi.Resource]:
    """The resources a component was told to wait for (`opts.depends_on`), for its children too.

    A component's own dependencies do not hold back its children's creation, so a component that
    must not start its children early (pods before nodes) hands the list on explicitly.
    """
    waits = opts.depends_on if opts else None
    if waits is None:
        return []
    if isinstance(waits, pulumi.Resource):
        return [waits]
    if isinstance(waits, list | tuple):
        return [w for w in waits if isinstance(w, pulumi.Resource)]
    raise TypeError("pass depends_on to InferaDB components as a list of resources")
