"""EngineDeployment: the authorization engine of one region, reading only its own region's Ledger.

Engine and Control never call each other: Control writes JWKS and invalidation events into Ledger,
Engine reads and watches them (the seed's shared keyspace). So Engine gets a Ledger endpoint and
no Control URL, and its storage is Ledger (the chart default `memory` loses data on restart).
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_kubernetes as k8s

from inferadb.components.shared.manifest import body
from inferadb.components.shared.options import inherited_waits
from inferadb.components.shared.pods import (
    container_security,
    disruption_budget,
    pod_labels,
    pod_security,
    pool_affinity,
    selector_labels,
    tmp_volume,
    zone_spread,
)
from inferadb.components.tailnet.sidecar import SidecarSpec, tailscale_container, tailscale_volumes
from inferadb.facts.names import ENGINE
from inferadb.facts.ports import ENGINE_PORTS
from inferadb.plan.workload_env import EngineSettingsEnv

PORTS = ENGINE_PORTS


@dataclass(frozen=True)
class EngineArgs:
    namespace: pulumi.Input[str]
    image: str
    replicas: int
    region: str
    ledger_endpoint: str
    resources: dict[str, dict[str, str]]
    sidecar: SidecarSpec | None


class EngineDeployment(pulumi.ComponentResource):
    def __init__(self, name: str, args: EngineArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("inferadb:workloads:EngineDeployment", name, None, opts)
        # Every child waits for what the component waits for (the nodes and cluster DNS).
        child = pulumi.ResourceOptions(parent=self, depends_on=inherited_waits(opts))
        labels = selector_labels(ENGINE)
        meta = {"name": ENGINE, "namespace": args.namespace, "labels": pod_labels(ENGINE)}
        k8s.core.v1.ServiceAccount(f"{name}-sa", metadata=body(meta), automount_service_account_token=False, opts=child)
        settings = EngineSettingsEnv(
            http=f"0.0.0.0:{PORTS['http']}",
            grpc=f"0.0.0.0:{PORTS['grpc']}",
            mesh=f"0.0.0.0:{PORTS['mesh']}",
            ledger_endpoint=args.ledger_endpoint,
            ledger_client_id=f"engine-{args.region}",
        )
        tmp, tmp_mount = tmp_volume()
        engine = {
            "name": "engine",
            "image": args.image,
            "env": settings.env(),
            "ports": [{"name": n, "containerPort": p} for n, p in PORTS.items()],
            "startupProbe": {
                "httpGet": {"path": "/startupz", "port": "http"},
                "periodSeconds": 5,
                "failureThreshold": 60,
            },
            "readinessProbe": {"httpGet": {"path": "/readyz", "port": "http"}, "periodSeconds": 5},
            "livenessProbe": {
                "httpGet": {"path": "/livez", "port": "http"},
                "periodSeconds": 15,
                "failureThreshold": 4,
            },
            "resources": args.resources,
            "securityContext": container_security(),
            "volumeMounts": [tmp_mount],
        }
        containers, volumes = [engine], [tmp]
        if args.sidecar is not None:
            containers.append(tailscale_container(args.sidecar))
            volumes += tailscale_volumes()
        k8s.apps.v1.Deployment(
            f"{name}-deployment",
            metadata=body(meta),
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
                            "containers": containers,
                            "volumes": volumes,
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
                    "ports": [{"name": n, "port": p, "targetPort": n} for n, p in PORTS.items()],
                }
            ),
            opts=child,
        )
        disruption_budget(f"{name}-pdb", meta, ENGINE, child)
        self.register_outputs({})
