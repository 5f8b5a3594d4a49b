"""Pod building blocks every InferaDB workload shares: labels, restricted security, placement."""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi_kubernetes as k8s

from components.shared.manifest import body
from inferadb.facts.names import LEDGER_CLIENT_LABEL, LEDGER_TAINT, PART_OF, POOL_LABEL

HOSTNAME = "kubernetes.io/hostname"
ZONE = "topology.kubernetes.io/zone"
NONROOT_UID = 65532  # the distroless `nonroot` user the InferaDB images run as


def selector_labels(app: str) -> dict[str, str]:
    """The labels a workload's selector, Services, PDB and NetworkPolicies all select on."""
    return {"app.kubernetes.io/name": app, "app.kubernetes.io/instance": "inferadb"}


def pod_labels(app: str, *, ledger_client: bool = False) -> dict[str, str]:
    labels = {**selector_labels(app), **PART_OF}
    if ledger_client:
        labels.update(LEDGER_CLIENT_LABEL)
    return labels


def pod_security() -> dict[str, Any]:
    return {
        "runAsNonRoot": True,
        "runAsUser": NONROOT_UID,
        "runAsGroup": NONROOT_UID,
        "fsGroup": NONROOT_UID,
        "fsGroupChangePolicy": "OnRootMismatch",
        "seccompProfile": {"type": "RuntimeDefault"},
    }


def container_security(user: int | None = None) -> dict[str, Any]:
    """Pod Security Standards `restricted`, plus a read-only root filesystem (and a uid/gid if given).

    The one builder of a container securityContext: every InferaDB container and sidecar uses it.
    """
    identity = {} if user is None else {"runAsUser": user, "runAsGroup": user}
    return {
        "runAsNonRoot": True,
        **identity,
        "allowPrivilegeEscalation": False,
        "readOnlyRootFilesystem": True,
        "capabilities": {"drop": ["ALL"]},
        "seccompProfile": {"type": "RuntimeDefault"},
    }


def pool_affinity(pool: str, app: str, *, hard_host_spread: bool) -> dict[str, Any]:
    """Only on `pool`'s nodes; never two pods on one host (required) or preferably not (soft)."""
    anti = {"labelSelector": {"matchLabels": selector_labels(app)}, "topologyKey": HOSTNAME}
    node = {
        "requiredDuringSchedulingIgnoredDuringExecution": {
            "nodeSelectorTerms": [{"matchExpressions": [{"key": POOL_LABEL, "operator": "In", "values": [pool]}]}]
        }
    }
    pod_anti = (
        {"requiredDuringSchedulingIgnoredDuringExecution": [anti]}
        if hard_host_spread
        else {"preferredDuringSchedulingIgnoredDuringExecution": [{"weight": 100, "podAffinityTerm": anti}]}
    )
    return {"nodeAffinity": node, "podAntiAffinity": pod_anti}


def zone_spread(app: str) -> list[dict[str, Any]]:
    return [
        {
            "maxSkew": 1,
            "topologyKey": ZONE,
            "whenUnsatisfiable": "DoNotSchedule",
            "labelSelector": {"matchLabels": selector_labels(app)},
        }
    ]


def ledger_toleration() -> dict[str, str]:
    """Exactly the Ledger pool's taint (the EKS API spells NO_SCHEDULE; Kubernetes NoSchedule)."""
    return {"key": LEDGER_TAINT["key"], "operator": "Equal", "value": LEDGER_TAINT["value"], "effect": "NoSchedule"}


def pod_identity_env() -> list[dict[str, Any]]:
    """POD_NAME and POD_INDEX first in a container's env, so later values can expand $(POD_INDEX)."""
    return [
        {"name": "POD_NAME", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}},
        {
            "name": "POD_INDEX",
            "valueFrom": {"fieldRef": {"fieldPath": "metadata.labels['apps.kubernetes.io/pod-index']"}},
        },
    ]


def http_probe(path: str) -> dict[str, Any]:
    """An HTTP GET on the container's `http` port (Engine and Control serve /livez /readyz /startupz)."""
    return {"httpGet": {"path": path, "port": "http"}}


def tmp_volume() -> tuple[dict[str, Any], dict[str, Any]]:
    """A small writable /tmp (the root filesystem is read-only): (volume, mount)."""
    return {"name": "tmp", "emptyDir": {"sizeLimit": "256Mi"}}, {"name": "tmp", "mountPath": "/tmp"}


def disruption_budget(
    name: str, meta: dict[str, Any], app: str, opts: pulumi.ResourceOptions
) -> k8s.policy.v1.PodDisruptionBudget:
    """One voluntary disruption at a time: a drain or node update waits for the previous pod."""
    return k8s.policy.v1.PodDisruptionBudget(
        name,
        metadata=body(meta),
        opts=opts,
        spec=body({"maxUnavailable": 1, "selector": {"matchLabels": selector_labels(app)}}),
    )
