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
from components.shared.pods import pod_identity_env
from components.workloads.app_pods import AppPods
from inferadb.facts.names import CONTROL
from inferadb.facts.ports import CONTROL_PORT
from inferadb.plan.clients import ControlPlan


@dataclass(frozen=True)
class ControlArgs:
    namespace: pulumi.Input[str]
    plan: ControlPlan


class ControlPlane(pulumi.ComponentResource):
    def __init__(self, name: str, args: ControlArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("inferadb:workloads:ControlPlane", name, None, opts)
        # Every child waits for what the component waits for (the nodes and cluster DNS).
        child = pulumi.ResourceOptions(parent=self, depends_on=inherited_waits(opts))
        plan = args.plan
        # POD_INDEX first: WORKER_ID expands $(POD_INDEX).
        env = [*pod_identity_env(), *plan.settings.env()]
        pods = AppPods(CONTROL, "control", args.namespace, CONTROL_PORT, plan, env, 20)
        pods.service_account(name, child)
        service = pods.service(name, child)
        spec = {
            "replicas": plan.replicas,
            "ordinals": {"start": plan.worker_id_base},
            "serviceName": service.metadata.name,
            "podManagementPolicy": "Parallel",
            "selector": pods.selector(),
            "template": pods.template(),
        }
        k8s.apps.v1.StatefulSet(
            f"{name}-statefulset", metadata=body(pods.controller_meta()), spec=body(spec), opts=child
        )
        pods.budget(name, child)
        if plan.access is not None:
            # What the region's client-access load balancer forwards to (components/connectivity/client_access.py).
            spec = {
                "type": "NodePort",
                "selector": pods.selector()["matchLabels"],
                "ports": [
                    {"name": "http", "port": CONTROL_PORT, "targetPort": "http", "nodePort": plan.access.node_port}
                ],
            }
            meta = {**pods.meta(), "name": f"{CONTROL}-public"}
            k8s.core.v1.Service(f"{name}-public", metadata=body(meta), spec=body(spec), opts=child)
        self.register_outputs({})
