"""Files synth writes per stack: resources.json, manifests.yaml, exports.json."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import yaml

from synth.wire import SECRET_MARKER

# `kubectl apply -f` takes objects in file order: what others refer to comes first.
APPLY_ORDER = [
    "Namespace",
    "StorageClass",
    "ServiceAccount",
    "ClusterRole",
    "ClusterRoleBinding",
    "Role",
    "RoleBinding",
    "ConfigMap",
    "Secret",
    "Service",
    "NetworkPolicy",
    "DaemonSet",
    "StatefulSet",
    "Deployment",
    "PodDisruptionBudget",
    "Job",
    "ServiceMonitor",
    "PrometheusRule",
]


def kubernetes_objects(resources: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every Kubernetes object the stack declares, as `kubectl apply -f` takes it."""
    objects = []
    for resource in resources:
        if resource["type"].startswith("kubernetes:") and resource["custom"] and not resource.get("read"):
            body = {k: v for k, v in resource["props"].items() if v is not None}
            if "apiVersion" in body and "kind" in body:
                head = {k: body.pop(k) for k in ("apiVersion", "kind", "metadata") if k in body}
                objects.append({**head, **body})
    return objects


def holds_secret(value: Any) -> bool:
    if isinstance(value, dict):
        return any(holds_secret(v) for v in value.values())
    if isinstance(value, list):
        return any(holds_secret(v) for v in value)
    return bool(value == SECRET_MARKER)


def _apply_position(obj: dict[str, Any]) -> tuple[int, str, str]:
    """Kind in apply order, then namespace and name: the same objects always give the same file."""
    kind = APPLY_ORDER.index(obj["kind"]) if obj["kind"] in APPLY_ORDER else len(APPLY_ORDER)
    meta = obj.get("metadata") or {}
    return kind, str(meta.get("namespace", "")), str(meta.get("name", ""))


def render_manifests(resources: list[dict[str, Any]]) -> str:
    """The kubectl path: every object in apply order; Secrets that carry credentials are left out
    and listed in the header, to be created out of band as the seed does (`kubectl create secret`)."""
    objects = kubernetes_objects(resources)
    out_of_band = [o for o in objects if o["kind"] == "Secret" and holds_secret(o)]
    applied = [o for o in objects if o not in out_of_band]
    applied.sort(key=_apply_position)
    out_of_band.sort(key=_apply_position)
    if not objects:
        return ""
    header = ["# Kubernetes objects of this stack, in apply order: kubectl apply -f manifests.yaml"]
    if out_of_band:
        header.append(
            "# First `kubectl create namespace inferadb`, then create these Secrets out of band (their values"
        )
        header.append("# never appear in this file; in a DR region the e-mail blinding key must be the primary's):")
        for secret in out_of_band:
            meta = secret["metadata"]
            keys = " ".join(f"--from-literal={k}=..." for k in (secret.get("stringData") or secret.get("data") or {}))
            header.append(
                f"#   kubectl create secret generic {meta['name']} -n {meta.get('namespace', 'default')} {keys}"
            )
    return "\n".join(header) + "\n" + yaml.safe_dump_all(applied, sort_keys=False)


def write_stack(out_dir: Path, stack: str, result: dict[str, Any]) -> Path:
    target = out_dir / stack
    if target.exists():
        shutil.rmtree(target)  # never leave files of an earlier run beside this one
    target.mkdir(parents=True)
    (target / "resources.json").write_text(json.dumps(result["resources"], indent=2) + "\n")
    (target / "exports.json").write_text(json.dumps(result["exports"], indent=2, sort_keys=True) + "\n")
    (target / "manifests.yaml").write_text(render_manifests(result["resources"]))
    return target
