"""The `inferadb` namespace: Pod Security Standards `restricted`, enforced (not just warned)."""

from __future__ import annotations

import pulumi
import pulumi_kubernetes as k8s

from components.shared.protection import guarded
from inferadb.facts.names import NAMESPACE, PART_OF

PSS_RESTRICTED = {f"pod-security.kubernetes.io/{mode}": "restricted" for mode in ("enforce", "audit", "warn")} | {
    "pod-security.kubernetes.io/enforce-version": "latest"
}


def inferadb_namespace(name: str, opts: pulumi.ResourceOptions, keep: bool = True) -> k8s.core.v1.Namespace:
    # Deleting the namespace deletes every Ledger object in it: protected, and kept on destroy.
    return k8s.core.v1.Namespace(
        name,
        metadata={"name": NAMESPACE, "labels": {**PSS_RESTRICTED, **PART_OF}},
        opts=pulumi.ResourceOptions.merge(opts, guarded(keep, retain=True)),
    )
