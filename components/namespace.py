"""The `inferadb` namespace: Pod Security Standards `restricted`, enforced (not just warned)."""

from __future__ import annotations

import pulumi
import pulumi_kubernetes as k8s

NAMESPACE = "inferadb"
PSS_RESTRICTED = {f"pod-security.kubernetes.io/{mode}": "restricted" for mode in ("enforce", "audit", "warn")} | {
    "pod-security.kubernetes.io/enforce-version": "latest"
}


def inferadb_namespace(name: str, opts: pulumi.ResourceOptions) -> k8s.core.v1.Namespace:
    # Deleting the namespace deletes every Ledger object in it: protected, and kept on destroy.
    return k8s.core.v1.Namespace(
        name,
        metadata={"name": NAMESPACE, "labels": {**PSS_RESTRICTED, "app.kubernetes.io/part-of": "inferadb"}},
        opts=pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(protect=True, retain_on_delete=True)),
    )
