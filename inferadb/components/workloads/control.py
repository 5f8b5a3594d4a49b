"""ControlPlane: Control of one region, with WORKER_IDs unique across every region.

Control needs a WORKER_ID (0-1023) unique across all Control instances of all regions. A Deployment
cannot give pods distinct values, so Control runs as a StatefulSet whose ordinals start at the
region's block (`spec.ordinals.start` = 0, 100, 200, ... in priority order): a pod's index *is* its
WORKER_ID. The master key is generated once (primary), kept as a Pulumi secret, shared with later
regions through the primary's stack (data Control encrypts in Ledger is read in every region), and
mounted from a Secret, never an emptyDir.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_kubernetes as k8s
import pulumi_random as random

from inferadb.components.shared.manifest import body
from inferadb.components.shared.options import inherited_waits
from inferadb.components.shared.pods import (
    container_security,
    disruption_budget,
    pod_identity_env,
    pod_labels,
    pod_security,
    pool_affinity,
    selector_labels,
    tmp_volume,
    zone_spread,
)
from inferadb.facts.names import CONTROL, CONTROL_MASTER_KEY_SECRET
from inferadb.facts.ports import CONTROL_PORT
from inferadb.plan.workload_env import ControlSettingsEnv

PORT = CONTROL_PORT
KEY_DIR = "/etc/inferadb/control"


@dataclass(frozen=True)
class ControlArgs:
    namespace: pulumi.Input[str]
    image: str
    replicas: int
    region: str
    worker_id_base: int
    ledger_endpoint: str
    resources: dict[str, dict[str, str]]
    master_key: pulumi.Input[str] | None
    """The primary's key (read from its stack) in later regions; None in the primary, which creates it."""


class ControlPlane(pulumi.ComponentResource):
    master_key: pulumi.Output[str]
    """Secret."""

    def __init__(self, name: str, args: ControlArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("inferadb:workloads:ControlPlane", name, None, opts)
        # Every child waits for what the component waits for (the nodes and cluster DNS).
        child = pulumi.ResourceOptions(parent=self, depends_on=inherited_waits(opts))
        labels = selector_labels(CONTROL)
        meta = {"name": CONTROL, "namespace": args.namespace, "labels": pod_labels(CONTROL)}
        if args.master_key is None:
            generated = random.RandomPassword(
                f"{name}-master-key", length=64, special=False, opts=pulumi.ResourceOptions(parent=self, protect=True)
            )
            self.master_key = pulumi.Output.secret(generated.result)
        else:
            self.master_key = pulumi.Output.secret(args.master_key)
        k8s.core.v1.Secret(
            f"{name}-master-key",
            metadata=body({**meta, "name": CONTROL_MASTER_KEY_SECRET}),
            type="Opaque",
            string_data={"master.key": self.master_key},
            opts=child,
        )
        k8s.core.v1.ServiceAccount(f"{name}-sa", metadata=body(meta), automount_service_account_token=False, opts=child)
        service = k8s.core.v1.Service(
            f"{name}-service",
            metadata=body(meta),
            spec=body(
                {
                    "type": "ClusterIP",
                    "selector": labels,
                    "ports": [{"name": "http", "port": PORT, "targetPort": "http"}],
                }
            ),
            opts=child,
        )
        settings = ControlSettingsEnv(
            listen=f"0.0.0.0:{PORT}",
            ledger_endpoint=args.ledger_endpoint,
            ledger_client_id=f"control-{args.region}",
            key_file=f"{KEY_DIR}/master.key",
            worker_id="$(POD_INDEX)",
        )
        tmp, tmp_mount = tmp_volume()
        control = {
            "name": "control",
            "image": args.image,
            "env": [*pod_identity_env(), *settings.env()],
            "ports": [{"name": "http", "containerPort": PORT}],
            "startupProbe": {"tcpSocket": {"port": "http"}, "periodSeconds": 5, "failureThreshold": 60},
            "readinessProbe": {"tcpSocket": {"port": "http"}, "periodSeconds": 5},
            "livenessProbe": {"tcpSocket": {"port": "http"}, "periodSeconds": 20, "failureThreshold": 4},
            "resources": args.resources,
            "securityContext": container_security(),
            "volumeMounts": [{"name": "master-key", "mountPath": KEY_DIR, "readOnly": True}, tmp_mount],
        }
        k8s.apps.v1.StatefulSet(
            f"{name}-statefulset",
            metadata=body(meta),
            spec=body(
                {
                    "replicas": args.replicas,
                    "ordinals": {"start": args.worker_id_base},
                    "serviceName": service.metadata.name,
                    "podManagementPolicy": "Parallel",
                    "selector": {"matchLabels": labels},
                    "template": {
                        "metadata": {"labels": pod_labels(CONTROL, ledger_client=True)},
                        "spec": {
                            "serviceAccountName": CONTROL,
                            "automountServiceAccountToken": False,
                            "securityContext": pod_security(),
                            "affinity": pool_affinity("general", CONTROL, hard_host_spread=False),
                            "topologySpreadConstraints": zone_spread(CONTROL),
                            "containers": [control],
                            "volumes": [
                                {
                                    "name": "master-key",
                                    "secret": {"secretName": CONTROL_MASTER_KEY_SECRET, "defaultMode": 0o440},
                                },
                                tmp,
                            ],
                        },
                    },
                }
            ),
            opts=child,
        )
        disruption_budget(f"{name}-pdb", meta, CONTROL, child)
        self.register_outputs({})
