"""What guards the resources that hold data or identity: `protect` (and for some `retain_on_delete`)
outside a `dev` topology, so `pulumi destroy` or a replacement stops instead of deleting them. A
`dev` estate is meant to be torn down (`make destroy`): there nothing is protected."""

from __future__ import annotations

import pulumi


def guarded(keep: bool, *, retain: bool = False) -> pulumi.ResourceOptions:
    return pulumi.ResourceOptions(protect=keep, retain_on_delete=keep and retain)
