"""TailnetPolicy (primary stack only), and the check that a key's tag is declared before it is used.

The policy file is one object for the whole tailnet, so exactly one stack owns it; two would
overwrite each other. Keys carry tags the policy declares, so they are created after it: in the
primary by dependency, in later regions by reading the primary's exported tags.
"""

from __future__ import annotations

from collections.abc import Callable

import pulumi
import pulumi_tailscale as tailscale

from components.shared.protection import guarded


class TailnetPolicy(pulumi.ComponentResource):
    acl: tailscale.Acl

    def __init__(
        self,
        name: str,
        policy_json: str,
        overwrite_existing: bool,
        opts: pulumi.ResourceOptions | None = None,
        keep: bool = True,
    ) -> None:
        super().__init__("inferadb:tailnet:TailnetPolicy", name, None, opts)
        # overwrite_existing_content=False refuses to replace a policy this program did not write
        # (the provider's safety); reset_acl_on_destroy=False leaves the tailnet's policy in place on
        # destroy, since other workloads may depend on it.
        self.acl = tailscale.Acl(
            f"{name}-acl",
            acl=policy_json,
            overwrite_existing_content=overwrite_existing,
            reset_acl_on_destroy=False,
            opts=pulumi.ResourceOptions.merge(pulumi.ResourceOptions(parent=self), guarded(keep)),
        )
        self.register_outputs({"acl_id": self.acl.id})


def declared(tag: str) -> Callable[[list[str] | None], list[str]]:
    """The key's tags, once the policy is known to declare them."""

    def check(declared: list[str] | None) -> list[str]:
        if not declared or tag not in declared:
            raise pulumi.RunError(
                f"the tailnet policy does not declare {tag} yet; deploy the primary stack first (it owns the policy)"
            )
        return [tag]

    return check
