"""TailnetPolicy (primary stack only) and TailnetAccess (every region): the Tailscale mode.

The policy file is one object for the whole tailnet, so exactly one stack owns it; two would
overwrite each other. Keys carry tags the policy declares, so they are created after it: in the
primary by dependency, in later regions by reading the primary's exported tags.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pulumi
import pulumi_kubernetes as k8s
import pulumi_tailscale as tailscale

from inferadb.components.shared.manifest import body
from inferadb.facts.names import LEDGER_AUTH_SECRET, PART_OF
from inferadb.facts.tailnet_acl import LEDGER_TAG


def ledger_state_secret(ordinal: int | str) -> str:
    return f"ts-state-inferadb-ledger-{ordinal}"


class TailnetPolicy(pulumi.ComponentResource):
    acl: tailscale.Acl

    def __init__(
        self, name: str, policy_json: str, overwrite_existing: bool, opts: pulumi.ResourceOptions | None = None
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
            opts=pulumi.ResourceOptions(parent=self, protect=True),
        )
        self.register_outputs({"acl_id": self.acl.id})


@dataclass(frozen=True)
class TailnetAccessArgs:
    region: str
    namespace: pulumi.Input[str]
    ledger_replicas: int
    ledger_service_account: str
    expiry_seconds: int
    policy_ready: pulumi.Input[list[str]]
    """The tags the tailnet policy declares; keys wait for it (a data dependency across stacks)."""


class TailnetAccess(pulumi.ComponentResource):
    """The Ledger pods' auth key, the Secret that carries it, and their per-pod state Secrets."""

    mounted: list[pulumi.Resource]
    """The Secrets and RBAC the Ledger pods use: the StatefulSet waits for them."""

    def __init__(self, name: str, args: TailnetAccessArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("inferadb:tailnet:TailnetAccess", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        self.mounted = []
        for role, tag, secret in [("ledger", LEDGER_TAG, LEDGER_AUTH_SECRET)]:
            key = tailscale.TailnetKey(
                f"{name}-{role}-key",
                description=f"inferadb {role} {args.region}",
                tags=pulumi.Output.from_input(args.policy_ready).apply(_declared(tag)),
                reusable=True,  # one key per role and region, used by every pod of that role
                ephemeral=False,  # Ledger keeps per-pod state
                preauthorized=True,
                expiry=args.expiry_seconds,
                recreate_if_invalid="always",  # an expired key is replaced on the next `pulumi up`
                opts=child,
            )
            auth = k8s.core.v1.Secret(
                f"{name}-{role}-auth",
                metadata={
                    "name": secret,
                    "namespace": args.namespace,
                    "labels": PART_OF,
                },
                type="Opaque",
                string_data={"authkey": key.key},
                opts=child,
            )
            self.mounted.append(auth)
        self._ledger_state(name, args, child)
        self.register_outputs({})

    def _ledger_state(self, name: str, args: TailnetAccessArgs, child: pulumi.ResourceOptions) -> None:
        # One state Secret per Ledger pod, created empty here so the sidecar's Role can be limited to
        # these names (no `create`); tailscaled writes its identity into them, which Pulumi ignores.
        names = [ledger_state_secret(i) for i in range(args.ledger_replicas)]
        for index, secret in enumerate(names):
            state = k8s.core.v1.Secret(
                f"{name}-state-{index}",
                metadata={"name": secret, "namespace": args.namespace},
                type="Opaque",
                opts=pulumi.ResourceOptions.merge(child, pulumi.ResourceOptions(ignore_changes=["data", "stringData"])),
            )
            self.mounted.append(state)
        role = k8s.rbac.v1.Role(
            f"{name}-state-role",
            metadata={"name": "tailscale-ledger-state", "namespace": args.namespace},
            rules=body(
                [
                    {
                        "apiGroups": [""],
                        "resources": ["secrets"],
                        "resourceNames": names,
                        "verbs": ["get", "update", "patch"],
                    }
                ]
            ),
            opts=child,
        )
        binding = k8s.rbac.v1.RoleBinding(
            f"{name}-state-binding",
            metadata={"name": "tailscale-ledger-state", "namespace": args.namespace},
            role_ref=body({"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": role.metadata.name}),
            subjects=body(
                [{"kind": "ServiceAccount", "name": args.ledger_service_account, "namespace": args.namespace}]
            ),
            opts=child,
        )
        self.mounted += [role, binding]


def _declared(tag: str) -> Callable[[list[str] | None], list[str]]:
    """The key's tags, once the policy is known to declare them."""

    def check(declared: list[str] | None) -> list[str]:
        if not declared or tag not in declared:
            raise pulumi.RunError(
                f"the tailnet policy does not declare {tag} yet; deploy the primary stack first (it owns the policy)"
            )
        return [tag]

    return check
