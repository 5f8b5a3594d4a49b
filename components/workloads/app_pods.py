"""What Engine and Control have in common: their Service account, pod template, Service and budget.

Both are stateless HTTP servers in the general pool, dialing their own region's Ledger, with the
same probes, security baseline and spread; they differ in the controller (Engine a Deployment,
Control a StatefulSet whose ordinals are its WORKER_IDs) and in the settings they read.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_kubernetes as k8s

from components.shared.manifest import body
from components.shared.pods import (
    container_security,
    disruption_budget,
    http_probe,
    pod_labels,
    pod_security,
    pool_affinity,
    selector_labels,
    tmp_volume,
    zone_spread,
)
from inferadb.facts.names import HOLD_ANNOTATION
from inferadb.plan.clients import AppPlan
from inferadb.plan.workload_env import Env


@dataclass(frozen=True)
class AppPods:
    app: str
    """The Kubernetes name and `app.kubernetes.io/name` of the workload."""
    container: str
    namespace: pulumi.Input[str]
    port: int
    plan: AppPlan
    env: Env
    liveness_period_seconds: int

    def meta(self) -> dict[str, Any]:
        return {"name": self.app, "namespace": self.namespace, "labels": pod_labels(self.app)}

    def controller_meta(self) -> dict[str, Any]:
        """The Deployment's or StatefulSet's metadata: a held workload says why in an annotation."""
        held = {"annotations": {HOLD_ANNOTATION: self.plan.hold}} if self.plan.hold else {}
        return {**self.meta(), **held}

    def selector(self) -> dict[str, Any]:
        return {"matchLabels": selector_labels(self.app)}

    def template(self) -> dict[str, Any]:
        tmp, tmp_mount = tmp_volume()
        container = {
            "name": self.container,
            "image": self.plan.image,
            "env": self.env,
            "ports": [{"name": "http", "containerPort": self.port}],
            "startupProbe": {**http_probe("/startupz"), "periodSeconds": 5, "failureThreshold": 60},
            "readinessProbe": {**http_probe("/readyz"), "periodSeconds": 5},
            "livenessProbe": {
                **http_probe("/livez"),
                "periodSeconds": self.liveness_period_seconds,
                "failureThreshold": 4,
            },
            "resources": self.plan.resources,
            "securityContext": container_security(),
            "volumeMounts": [tmp_mount],
        }
        return {
            "metadata": {"labels": pod_labels(self.app, ledger_client=True)},
            "spec": {
                "serviceAccountName": self.app,
                "automountServiceAccountToken": False,
                "securityContext": pod_security(),
                "affinity": pool_affinity("general", self.app, hard_host_spread=False),
                "topologySpreadConstraints": zone_spread(self.app),
                "containers": [container],
                "volumes": [tmp],
            },
        }

    def service_account(self, name: str, opts: pulumi.ResourceOptions) -> k8s.core.v1.ServiceAccount:
        return k8s.core.v1.ServiceAccount(
            f"{name}-sa", metadata=body(self.meta()), automount_service_account_token=False, opts=opts
        )

    def service(self, name: str, opts: pulumi.ResourceOptions) -> k8s.core.v1.Service:
        spec = {
            "type": "ClusterIP",
            "selector": selector_labels(self.app),
            "ports": [{"name": "http", "port": self.port, "targetPort": "http"}],
        }
        return k8s.core.v1.Service(f"{name}-service", metadata=body(self.meta()), spec=body(spec), opts=opts)

    def budget(self, name: str, opts: pulumi.ResourceOptions) -> None:
        disruption_budget(f"{name}-pdb", self.meta(), self.app, opts)
