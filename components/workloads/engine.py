"""EngineDeployment: the authorization engine of one region, reading only its own region's Ledger.

Engine and Control never call each other: Control writes JWKS and invalidation events into Ledger,
Engine reads and watches them (the seed's shared keyspace). So Engine gets a Ledger endpoint and
no Control URL, and its storage is Ledger (the chart default `memory` loses data on restart).

inferadb/engine 08868a5, `crates/engine/src/main.rs`: only the HTTP listener is bound (8080, with
/livez /readyz /startupz), there is no /metrics route, and startup fails without the Ledger
namespace id. While the plan holds Engine (no namespace id yet, or no Engine build that speaks the
pinned Ledger's API), the Deployment exists with zero replicas and says why in an annotation.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_kubernetes as k8s

from components.shared.manifest import body
from components.shared.options import inherited_waits
from components.workloads.app_pods import AppPods
from inferadb.facts.names import ENGINE
from inferadb.facts.ports import ENGINE_HTTP_PORT
from inferadb.plan.clients import EnginePlan


@dataclass(frozen=True)
class EngineArgs:
    namespace: pulumi.Input[str]
    plan: EnginePlan


class EngineDeployment(pulumi.ComponentResource):
    def __init__(self, name: str, args: EngineArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("inferadb:workloads:EngineDeployment", name, None, opts)
        # Every child waits for what the component waits for (the nodes and cluster DNS).
        child = pulumi.ResourceOptions(parent=self, depends_on=inherited_waits(opts))
        plan = args.plan
        pods = AppPods(ENGINE, "engine", args.namespace, ENGINE_HTTP_PORT, plan, plan.settings.env(), 15)
        pods.service_account(name, child)
        strategy = {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1, "maxSurge": 1}}
        spec = {
            "replicas": plan.replicas,
            "selector": pods.selector(),
            "strategy": strategy,
            "template": pods.template(),
        }
        k8s.apps.v1.Deployment(f"{name}-deployment", metadata=body(pods.controller_meta()), spec=body(spec), opts=child)
        pods.service(name, child)
        pods.budget(name, child)
        self.register_outputs({})
