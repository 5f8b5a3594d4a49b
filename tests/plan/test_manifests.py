"""What every rendered Kubernetes object must satisfy: schema, security, wiring, the kubectl path."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

from kubernetes_validate.utils import validate

from inferadb.model.topology import load_topology
from inferadb.plan.region import plan_region
from tests.recorded import StackPlan

ROOT = Path(__file__).resolve().parents[2]

CUSTOM_RESOURCES = {"ServiceMonitor", "PrometheusRule"}  # Prometheus operator CRDs: no upstream schema

WORKLOAD_KINDS = {"Deployment", "StatefulSet", "DaemonSet", "Job"}
POD_NAME = "statefulset.kubernetes.io/pod-name"


def pod_specs(stack: StackPlan, namespace: str = "inferadb") -> list[tuple[str, dict[str, Any]]]:
    return [
        (m["metadata"]["name"], m["spec"]["template"]["spec"])
        for m in stack.manifests
        if m["kind"] in WORKLOAD_KINDS and m["metadata"].get("namespace") == namespace
    ]


def test_every_manifest_validates_strictly_against_the_cluster_version(each_stack: StackPlan) -> None:
    version = "1.35.0"  # the topology's kubernetes_version
    checked = 0
    for manifest in each_stack.manifests:
        if manifest["kind"] in CUSTOM_RESOURCES:
            continue
        validate(manifest, version, strict=True)
        checked += 1
    assert checked > 30


def test_every_object_is_named_and_namespaced_outside_default(each_stack: StackPlan) -> None:
    for manifest in each_stack.manifests:
        assert manifest["metadata"].get("name"), manifest["kind"]
        assert manifest["metadata"].get("namespace") != "default"


def test_no_secret_value_or_unknown_reaches_the_manifests(each_stack: StackPlan) -> None:
    text = (each_stack.directory / "manifests.yaml").read_text()
    assert "[secret]" not in text
    assert "[unknown]" not in text
    assert "kubectl create secret generic inferadb-email-blinding -n inferadb --from-literal=key=..." in text
    # synth's stand-in for the generated blinding key (synth/mocks.py) is in no file it writes
    fake = hashlib.sha256(b"us-west-1-workloads-email-blinding").hexdigest()
    for path in each_stack.directory.parent.rglob("*"):
        assert path.is_dir() or fake not in path.read_text(), path


def test_selectors_match_pod_labels(each_stack: StackPlan) -> None:
    for manifest in each_stack.manifests:
        if manifest["kind"] in WORKLOAD_KINDS - {"Job"}:
            labels = manifest["spec"]["template"]["metadata"]["labels"]
            assert manifest["spec"]["selector"]["matchLabels"].items() <= labels.items(), manifest["metadata"]["name"]


def test_services_select_pods_and_target_declared_ports(each_stack: StackPlan) -> None:
    workloads = [m for m in each_stack.manifests if m["kind"] in WORKLOAD_KINDS - {"Job"}]
    for service in (m for m in each_stack.manifests if m["kind"] == "Service"):
        selector = dict(service["spec"]["selector"])
        # The StatefulSet controller labels each pod with its name: a Service may pick one ordinal.
        pod = selector.pop(POD_NAME, None)
        backing = [w for w in workloads if selector.items() <= w["spec"]["template"]["metadata"]["labels"].items()]
        assert backing, service["metadata"]["name"]
        if pod is not None:
            (stateful_set,) = backing
            assert stateful_set["kind"] == "StatefulSet"
            name, _, ordinal = pod.rpartition("-")
            assert name == stateful_set["metadata"]["name"]
            assert int(ordinal) < stateful_set["spec"]["replicas"]
        ports = {
            p["name"] for w in backing for c in w["spec"]["template"]["spec"]["containers"] for p in c.get("ports", [])
        }
        for port in service["spec"]["ports"]:
            assert port["targetPort"] in ports, (service["metadata"]["name"], port)


def test_every_pod_meets_restricted_pod_security(each_stack: StackPlan) -> None:
    specs = pod_specs(each_stack)
    assert {name for name, _ in specs} >= {
        "inferadb-ledger",
        "inferadb-engine",
        "inferadb-control",
    }
    for name, pod in specs:
        assert pod["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}, name
        assert pod["securityContext"]["runAsNonRoot"] is True, name
        assert pod.get("serviceAccountName", "") != "default"
        for c in pod["containers"]:
            security = c["securityContext"]
            assert security["allowPrivilegeEscalation"] is False, (name, c["name"])
            assert security["capabilities"] == {"drop": ["ALL"]}, (name, c["name"])
            assert security["readOnlyRootFilesystem"] is True, (name, c["name"])
            assert set(c["resources"]) == {"requests", "limits"}, (name, c["name"])
            assert not any(k in pod for k in ("hostNetwork", "hostPID", "hostIPC")), name


def test_ledger_runs_with_guaranteed_qos(each_stack: StackPlan) -> None:
    ledger = next(p for n, p in pod_specs(each_stack) if n == "inferadb-ledger")
    resources = next(c for c in ledger["containers"] if c["name"] == "ledger")["resources"]
    assert resources["requests"] == resources["limits"]


def test_tokens_are_mounted_only_where_needed(each_stack: StackPlan) -> None:
    for name, pod in pod_specs(each_stack):
        assert pod["automountServiceAccountToken"] is False, name  # no InferaDB pod calls the API


def test_images_are_pinned(each_stack: StackPlan) -> None:
    images = [
        c["image"]
        for m in each_stack.manifests
        if m["kind"] in WORKLOAD_KINDS
        for c in m["spec"]["template"]["spec"]["containers"]
    ]
    assert images
    assert all(re.search(r":[\w.-]+$|@sha256:[0-9a-f]{64}$", i) and not i.endswith(":latest") for i in images)


def test_secrets_are_only_referenced(each_stack: StackPlan) -> None:
    for _, pod in pod_specs(each_stack):
        for c in pod["containers"]:
            for variable in c.get("env", []):
                assert (
                    not re.search(r"(key|token|secret|password)", variable["name"], re.I)
                    or "valueFrom" in variable
                    or variable["name"].endswith(("KEY_FILE", "KUBE_SECRET"))
                ), variable


def test_ledger_ingress_only_from_ledger_clients_and_monitoring(each_stack: StackPlan) -> None:
    policies = {m["metadata"]["name"]: m["spec"] for m in each_stack.manifests if m["kind"] == "NetworkPolicy"}
    assert policies["default-deny"] == {
        "podSelector": {},
        "policyTypes": ["Ingress", "Egress"],
        "ingress": [],
        "egress": [],
    }
    grpc, metrics = policies["ledger"]["ingress"]
    assert grpc["ports"] == [{"protocol": "TCP", "port": 50051}]
    sources = [s["podSelector"]["matchLabels"] for s in grpc["from"] if "podSelector" in s]
    assert {"inferadb.io/ledger-client": "true"} in sources
    # Through a Ledger endpoint the pod sees a node of its own region (kube-proxy masquerades NodePorts).
    blocks = [s["ipBlock"]["cidr"] for s in grpc["from"] if "ipBlock" in s]
    region = load_topology(ROOT / "topology.yaml").regions[each_stack.directory.name]
    assert blocks == list(region.private_cidrs)
    assert len(grpc["from"]) == len(sources) + len(blocks)
    assert metrics["from"] == [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "monitoring"}}}]
    clients = [
        m
        for m in each_stack.manifests
        if m["kind"] in WORKLOAD_KINDS
        and m["spec"]["template"]["metadata"]["labels"].get("inferadb.io/ledger-client") == "true"
    ]
    assert {m["metadata"]["name"] for m in clients} >= {"inferadb-engine", "inferadb-control"}


def test_manifests_are_in_apply_order(each_stack: StackPlan) -> None:
    kinds = [m["kind"] for m in each_stack.manifests]
    assert kinds[0] == "Namespace"
    assert kinds.index("ServiceAccount") < kinds.index("StatefulSet")


def test_engine_and_control_may_reach_every_regions_ledger_endpoints(each_stack: StackPlan) -> None:
    # A client that follows NotLeader retries at the leader's ADVERTISE address, in any region.
    policies = {m["metadata"]["name"]: m["spec"] for m in each_stack.manifests if m["kind"] == "NetworkPolicy"}
    topology = load_topology(ROOT / "topology.yaml")
    every_block = set(plan_region(topology, each_stack.directory.name).ledger.all_endpoint_blocks)
    assert len(every_block) == 5  # 2 zones in us-west-1, 3 in eu-central-1
    for client in ("engine", "control"):
        egress = policies[client]["egress"]
        blocks = {t["ipBlock"]["cidr"] for rule in egress for t in rule["to"] if "ipBlock" in t}
        assert blocks == every_block, client
        assert all(rule["ports"] == [{"protocol": "TCP", "port": 50051}] for rule in egress), client
