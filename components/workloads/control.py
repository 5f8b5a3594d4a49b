"""ControlPlane: Control of one region, with WORKER_IDs unique across every region.

Control needs a WORKER_ID (0-1023) unique across all Control instances of all regions. A Deployment
cannot give pods distinct values, so Control runs as a StatefulSet whose ordinals start at the
region's block (`spec.ordinals.start` = 0, 100, 200, ... in priority order): a pod's index *is* its
WORKER_ID.

Read in inferadb/control 64b23b5: settings in `crates/config/src/lib.rs`; the e-mail blinding key
must equal Ledger's (both hash addresses with it), so it comes from the one Secret every region's
Ledger reads too; the master key file is no longer loaded (`crates/core/src/crypto.rs` is only
called from tests), so nothing is mounted for it; `/livez` `/readyz` `/startupz` and `/metrics` are
served on the listen port (`crates/api/src/routes.rs`).
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
    pod_identity_env,
    pod_labels,
    pod_security,
    pool_affinity,
    selector_labels,
    tmp_volume,
    zone_spread,
)
from inferadb.facts.names import CONTROL, HOLD_ANNOTATION
from inferadb.facts.ports import CONTROL_PORT
from inferadb.plan.workload_env import ControlSettingsEnv

PORT = CONTROL_PORT


@dataclass(frozen=True)
class ControlArgs:
    namespace: pulumi.Input[str]
    image: str
    replicas: int
    region: str
    worker_id_base: int
    ledger_endpoint: str
    resources: dict[str, dict[str, str]]
    schema: str
    hold: str | None
    """Why Control cannot run with the pinned Ledger (then `replicas` is 0), or None."""
    frontend_url: str
    webauthn_rp_id: str
    webauthn_origin: str


class ControlPlane(pulumi.ComponentResource):
    def __init__(self, name: str, args: ControlArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("inferadb:workloads:ControlPlane", name, None, opts)
        # Every child waits for what the component waits for (the nodes and cluster DNS).
        child = pulumi.ResourceOptions(parent=self, depends_on=inherited_waits(opts))
        labels = selector_labels(CONTROL)
        meta = {"name": CONTROL, "namespace": args.namespace, "labels": pod_labels(CONTROL)}
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
            schema=args.schema,
            listen=f"0.0.0.0:{PORT}",
            ledger_endpoint=args.ledger_endpoint,
            ledger_client_id=f"control-{args.region}",
            worker_id="$(POD_INDEX)",
            frontend_url=args.frontend_url,
            webauthn_rp_id=args.webauthn_rp_id,
            webauthn_origin=args.webauthn_origin,
        )
        tmp, tmp_mount = tmp_volume()
        control = {
            "name": "control",
            "image": args.image,
            "env": [*pod_identity_env(), *settings.env()],
            "ports": [{"name": "http", "containerPort": PORT}],
            "startupProbe": {**http_probe("/startupz"), "periodSeconds": 5, "failureThreshold": 60},
            "readinessProbe": {**http_probe("/readyz"), "periodSeconds": 5},
            "livenessProbe": {**http_probe("/livez"), "periodSeconds": 20, "failureThreshold": 4},
            "resources": args.resources,
            "securityContext": container_security(),
            "volumeMounts": [tmp_mount],
        }
        held = {"annotations": {HOLD_ANNOTATION: args.hold}} if args.hold else {}
        k8s.apps.v1.StatefulSet(
            f"{name}-statefulset",
            metadata=body({**meta, **held}),
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
                            "volumes": [tmp],
                        },
                    },
                }
            ),
            opts=child,
        )
        disruption_budget(f"{name}-pdb", meta, CONTROL, child)
        self.register_outputs({})
