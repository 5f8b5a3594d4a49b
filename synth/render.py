"""Files synth writes per stack: resources.json, manifests.yaml, exports.json."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import yaml

K8S_PROVIDER = "pulumi:providers:kubernetes"


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


def write_stack(out_dir: Path, stack: str, result: dict[str, Any]) -> Path:
    target = out_dir / stack
    if target.exists():
        shutil.rmtree(target)  # never leave files of an earlier run beside this one
    target.mkdir(parents=True)
    (target / "resources.json").write_text(json.dumps(result["resources"], indent=2) + "\n")
    (target / "exports.json").write_text(json.dumps(result["exports"], indent=2, sort_keys=True) + "\n")
    manifests = kubernetes_objects(result["resources"])
    (target / "manifests.yaml").write_text(yaml.safe_dump_all(manifests, sort_keys=False) if manifests else "")
    return target
