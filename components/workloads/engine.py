"""EngineDeployment: the authorization engine of one region, reading only its own region's Ledger.

Engine and Control never call each other: Control writes JWKS and invalidation events into Ledger,
Engine reads and watches them (the seed's shared keyspace). So Engine gets a Ledger endpoint and
no Control URL, and its storage is Ledger (the chart default `memory` loses data on restart).

inferadb/engine 08868a5, `crates/engine/src/main.rs`: only the HTTP listener is bound (8080, with
/livez /readyz /startupz), there is no /metrics route, and startup fails without the Ledger
namespace id. Engine dials only its own region's Ledger Service, so it needs no tailnet sidecar.
While the plan holds Engine (no namespace id yet, or no Engine build that speaks the pinned
Ledger's API), the Deployment exists with zero replicas and says why in an annotation.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_kubernetes as k8s

from components.shared.manifest import body
from components.shared.options import inherited_waits
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
from inferadb.facts.names import ENGINE, HOLD_ANNOTATION
from inferadb.facts.ports import ENGINE_HTTP_PORT
from inferadb.plan.workload_env import EngineSettingsEnv


@dataclass(frozen=True)
class EngineArgs:
    namespace: pulumi.Input[str]
    image: str
    replicas: int
    region: str
    ledger_endpoint: str
    resources: dict[str, dict[str, str]]
    schema: str
    namespace_id: int | None
    hold: str | None
    """Why Engine cannot run yet (then `replicas` is 0), or None."""


class EngineDeployment(pulumi.ComponentResource):
    def __init__(self, name: str, args: EngineArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("inferadb:workloads:EngineDeployment", name, None, opts)
        # Every child waits for what the component waits for (the nodes and cluster DNS).
        child = pulumi.ResourceOptions(parent=self, depends_on=inherited_waits(opts))
        labels = selector_labels(ENGINE)
        meta = {"name": ENGINE, "namespace": args.namespace, "labels": pod_labels(ENGINE)}
        k8s.core.v1.ServiceAccount(f"{name}-sa", metadata=body(meta), automount_service_account_token=False, opts=child)
        settings = EngineSettingsEnv(
            schema=args.schema,
            http=f"0.0.0.0:{ENGINE_HTTP_PORT}",
            ledger_endpoint=args.ledger_endpoint,
            ledger_client_id=f"engine-{args.region}",
            namespace_id=args.namespace_id,
        )
        tmp, tmp_mount = tmp_volume()
        engine = {
            "name": "engine",
            "image": args.image,
            "env": settings.env(),
            "ports": [{"name": "http", "containerPort": ENGINE_HTTP_PORT}],
            "startupProbe": {**http_probe("/startupz"), "periodSeconds": 5, "failureThreshold": 60},
            "readinessProbe": {**http_probe("/readyz"), "periodSeconds": 5},
            "livenessProbe": {**http_probe("/livez"), "periodSeconds": 15, "failureThreshold": 4},
            "resources": args.resources,
            "securityContext": container_security(),
            "volumeMounts": [tmp_mount],
        }
        held = {"annotations": {HOLD_ANNOTATION: args.hold}} if args.hold else {}
        k8s.apps.v1.Deployment(
            f"{name}-deployment",
            metadata=body({**meta, **held}),
            spec=body(
                {
                    "replicas": args.replicas,
                    "selector": {"matchLabels": labels},
                    "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1, "maxSurge": 1}},
                    "template": {
                        "metadata": {"labels": pod_labels(ENGINE, ledger_client=True)},
                        "spec": {
                            "serviceAccountName": ENGINE,
                            "automountServiceAccountToken": False,
                            "securityContext": pod_security(),
                            "affinity": pool_affinity("general", ENGINE, hard_host_spread=False),
                            "topologySpreadConstraints": zone_spread(ENGINE),
                            "containers": [engine],
                            "volumes": [tmp],
                        },
                    },
                }
            ),
            opts=child,
        )
        k8s.core.v1.Service(
            f"{name}-service",
            metadata=body(meta),
            spec=body(
                {
                    "type": "ClusterIP",
                    "selector": labels,
                    "ports": [{"name": "http", "port": ENGINE_HTTP_PORT, "targetPort": "http"}],
                }
            ),
            opts=child,
        )
        disruption_budget(f"{name}-pdb", meta, ENGINE, child)
        self.register_outputs({})
