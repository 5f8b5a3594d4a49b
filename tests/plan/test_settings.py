"""What the containers are told and what they listen on, against what the pinned builds really read.

The variable lists and required names come from the source of each build (inferadb/facts/settings.py);
the ports from the listeners each binary binds.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from inferadb.analysis.sizing import rooms
from inferadb.facts.capacity import COREDNS_REQUESTS, PROVISIONER_REQUESTS, cpu_millicores, memory_mib
from inferadb.facts.settings import SCHEMAS
from inferadb.facts.shutdown import LEDGER_SHUTDOWN_SECONDS
from inferadb.model.topology import load_topology
from tests.recorded import StackPlan

ROOT = Path(__file__).resolve().parents[2]
NODE_GROUP = "aws:eks/nodeGroup:NodeGroup"
IMAGES = load_topology(ROOT / "topology.yaml").images
LISTENS = {"ledger": {50051, 9090}, "engine": {8080}, "control": {9090}}
"""Ports each binary binds: Ledger LISTEN and METRICS, Engine only LISTEN__HTTP, Control LISTEN."""


def workloads(stack: StackPlan) -> dict[str, dict[str, Any]]:
    kinds = ("StatefulSet", "Deployment")
    apps = {m["metadata"]["name"].removeprefix("inferadb-"): m for m in stack.manifests if m["kind"] in kinds}
    return {app: manifest for app, manifest in apps.items() if app in LISTENS}


def app_container(manifest: dict[str, Any], app: str) -> dict[str, Any]:
    return next(c for c in manifest["spec"]["template"]["spec"]["containers"] if c["name"] == app)


def stacks(each_stack: StackPlan, peering: dict[str, StackPlan], witness: dict[str, StackPlan]) -> list[StackPlan]:
    return [each_stack, *peering.values(), *witness.values()]


def test_env_holds_only_names_the_pinned_build_reads_and_every_required_one(
    each_stack: StackPlan, peering: dict[str, StackPlan], witness: dict[str, StackPlan]
) -> None:
    for stack in stacks(each_stack, peering, witness):
        for app, manifest in workloads(stack).items():
            schema = SCHEMAS[IMAGES.build(app).schema]  # type: ignore[arg-type]
            names = {e["name"] for e in app_container(manifest, app)["env"]} - {"POD_NAME", "POD_INDEX"}
            assert names <= schema.names(schema.reads), f"{app}: {sorted(names - schema.names(schema.reads))}"
            missing = schema.names(schema.required) - names
            if "inferadb.io/held" in manifest["metadata"].get("annotations", {}):
                assert manifest["spec"]["replicas"] == 0
                missing -= {"INFERADB__ENGINE__LEDGER__NAMESPACE_ID"}
            assert not missing, f"{app} lacks {sorted(missing)}"


def test_no_port_is_one_nothing_listens_on(
    each_stack: StackPlan, peering: dict[str, StackPlan], witness: dict[str, StackPlan]
) -> None:
    for stack in stacks(each_stack, peering, witness):
        apps = workloads(stack)
        for app, manifest in apps.items():
            assert {p["containerPort"] for p in app_container(manifest, app)["ports"]} == LISTENS[app]
        for service in (m for m in stack.manifests if m["kind"] == "Service"):
            app = service["spec"].get("selector", {}).get("app.kubernetes.io/name", "").removeprefix("inferadb-")
            if app not in LISTENS:
                continue
            assert {p["port"] for p in service["spec"]["ports"]} <= LISTENS[app], service["metadata"]["name"]
            assert {p["targetPort"] for p in service["spec"]["ports"]} <= {"grpc", "metrics", "http"}
        for policy in (m for m in stack.manifests if m["kind"] == "NetworkPolicy"):
            app = policy["spec"]["podSelector"].get("matchLabels", {}).get("app.kubernetes.io/name", "")
            if app.removeprefix("inferadb-") in apps:
                ingress = policy["spec"].get("ingress", [])
                ports = {p["port"] for rule in ingress for p in rule.get("ports", [])}
                assert ports <= LISTENS[app.removeprefix("inferadb-")], policy["metadata"]["name"]


def test_ledger_has_time_to_shut_down(each_stack: StackPlan) -> None:
    spec = workloads(each_stack)["ledger"]["spec"]["template"]["spec"]
    sleep = app_container(workloads(each_stack)["ledger"], "ledger")["lifecycle"]["preStop"]["sleep"]["seconds"]
    # Worst case: leadership transfer 10 s, then 5 + 15 + 30 + 60 s; a real margin beyond the preStop sleep.
    assert LEDGER_SHUTDOWN_SECONDS == 120
    assert spec["terminationGracePeriodSeconds"] == 150
    assert spec["terminationGracePeriodSeconds"] - sleep - LEDGER_SHUTDOWN_SECONDS >= 20


def test_every_workload_pod_fits_the_nodes_of_its_pool(
    each_stack: StackPlan, peering: dict[str, StackPlan], witness: dict[str, StackPlan]
) -> None:
    for stack in stacks(each_stack, peering, witness):
        pools = {g["props"]["labels"]["inferadb.io/pool"]: g["props"] for g in stack.of_type(NODE_GROUP)}
        # What else each Ledger node runs: the provisioner, and CoreDNS where there is no general pool.
        extra = [PROVISIONER_REQUESTS] + ([COREDNS_REQUESTS] if "general" not in pools else [])
        daemons = {
            "ledger": (sum(cpu_millicores(r["cpu"]) for r in extra), sum(memory_mib(r["memory"]) for r in extra)),
            "general": (0, 0),
        }
        for app, manifest in workloads(stack).items():
            pool = "ledger" if app == "ledger" else "general"
            containers = manifest["spec"]["template"]["spec"]["containers"]
            cpu = sum(cpu_millicores(c["resources"]["requests"]["cpu"]) for c in containers)
            memory = sum(memory_mib(c["resources"]["requests"]["memory"]) for c in containers)
            room = rooms(tuple(pools[pool]["instanceTypes"]), *daemons[pool])
            assert room, f"{app}: no known instance type in the {pool} pool"
            for node in room:
                assert node.holds(cpu, memory), f"{app} ({cpu}m, {memory}Mi) does not fit {node}"
