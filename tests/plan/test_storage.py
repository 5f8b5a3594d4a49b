"""Local NVMe volumes: the provisioner on the Ledger pool and the `local-nvme` StorageClass."""

from __future__ import annotations

from typing import Any

import yaml

from inferadb.facts.names import LOCAL_DISKS_DIR
from tests.recorded import StackPlan

DAEMON_SET = "kubernetes:apps/v1:DaemonSet"


def provisioner(stack: StackPlan) -> dict[str, Any]:
    props: dict[str, Any] = stack.one(DAEMON_SET)["props"]
    return props


def test_storage_class_frees_released_disks_and_waits_for_the_pod(each_stack: StackPlan) -> None:
    storage_class = each_stack.one("kubernetes:storage.k8s.io/v1:StorageClass")
    props = storage_class["props"]
    assert props["metadata"]["name"] == "local-nvme" == each_stack.exports["storage_class"]
    assert props["provisioner"] == "kubernetes.io/no-provisioner"
    assert props["volumeBindingMode"] == "WaitForFirstConsumer"
    assert props["reclaimPolicy"] == "Delete"  # a released disk is wiped and published again
    assert storage_class["protect"] is True
    assert storage_class["retainOnDelete"] is True


def test_provisioner_runs_only_on_the_ledger_pool_and_tolerates_its_taint(each_stack: StackPlan) -> None:
    pod = provisioner(each_stack)["spec"]["template"]["spec"]
    ledger = next(
        g
        for g in each_stack.of_type("aws:eks/nodeGroup:NodeGroup")
        if g["props"]["labels"]["inferadb.io/pool"] == "ledger"
    )
    assert pod["nodeSelector"] == ledger["props"]["labels"]
    (taint,) = ledger["props"]["taints"]
    assert {"key": taint["key"], "operator": "Equal", "value": taint["value"], "effect": "NoSchedule"} in pod[
        "tolerations"
    ]
    assert taint["effect"] == "NO_SCHEDULE"  # the EKS API spelling of Kubernetes' NoSchedule


def test_provisioner_watches_the_directory_nodeadm_mounts_disks_in(each_stack: StackPlan) -> None:
    (config,) = [
        c["props"]["data"]["storageClassMap"]
        for c in each_stack.of_type("kubernetes:core/v1:ConfigMap")
        if "storageClassMap" in c["props"]["data"]
    ]
    classes = yaml.safe_load(config)
    assert classes["local-nvme"]["hostDir"] == LOCAL_DISKS_DIR == "/mnt/k8s-disks"
    pod = provisioner(each_stack)["spec"]["template"]["spec"]
    host_paths = {v["name"]: v["hostPath"]["path"] for v in pod["volumes"] if "hostPath" in v}
    mounts = {m["name"]: m for m in pod["containers"][0]["volumeMounts"]}
    assert host_paths["disks"] == LOCAL_DISKS_DIR
    assert mounts["disks"]["mountPropagation"] == "HostToContainer"


def test_provisioner_selector_matches_its_pods_and_account(each_stack: StackPlan) -> None:
    spec = provisioner(each_stack)["spec"]
    labels = spec["template"]["metadata"]["labels"]
    assert all(labels[k] == v for k, v in spec["selector"]["matchLabels"].items())
    account = next(
        a["props"]["metadata"]
        for a in each_stack.of_type("kubernetes:core/v1:ServiceAccount")
        if a["props"]["metadata"]["name"] == "local-static-provisioner"
    )
    assert spec["template"]["spec"]["serviceAccountName"] == account["name"]
    binding = next(
        b["props"]
        for b in each_stack.of_type("kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding")
        if b["props"]["metadata"]["name"] == "local-static-provisioner"
    )
    assert binding["subjects"] == [
        {"kind": "ServiceAccount", "name": account["name"], "namespace": account["namespace"]}
    ]


def test_provisioner_image_is_pinned_with_resources(each_stack: StackPlan) -> None:
    container = provisioner(each_stack)["spec"]["template"]["spec"]["containers"][0]
    assert container["image"].startswith("registry.k8s.io/sig-storage/local-volume-provisioner:v")
    assert set(container["resources"]) == {"requests", "limits"}


def test_manifests_hold_the_storage_objects_for_kubectl(each_stack: StackPlan) -> None:
    kinds = [m["kind"] for m in each_stack.manifests]
    assert {"Namespace", "StorageClass", "DaemonSet", "ConfigMap", "ServiceAccount"} <= set(kinds)
    assert all(list(m)[:2] == ["apiVersion", "kind"] for m in each_stack.manifests)


def test_the_node_cleanup_controller_frees_a_replaced_nodes_claims(each_stack: StackPlan) -> None:
    deployment = next(
        d
        for d in each_stack.of_type("kubernetes:apps/v1:Deployment")
        if d["props"]["metadata"]["name"] == "local-volume-node-cleanup"
    )
    (container,) = deployment["props"]["spec"]["template"]["spec"]["containers"]
    assert container["image"] == "registry.k8s.io/sig-storage/local-volume-node-cleanup:v2.7.0"
    assert "--storageclass-names=local-nvme" in container["args"]
    assert container["securityContext"]["allowPrivilegeEscalation"] is False
    role = next(
        r
        for r in each_stack.of_type("kubernetes:rbac.authorization.k8s.io/v1:ClusterRole")
        if r["props"]["metadata"]["name"] == "local-volume-node-cleanup"
    )
    verbs = {res: rule["verbs"] for rule in role["props"]["rules"] for res in rule["resources"]}
    assert "delete" in verbs["persistentvolumeclaims"]
    assert "delete" not in verbs["nodes"]  # it only watches nodes


def test_provisioner_and_cleanup_controller_are_probed_on_the_metrics_they_serve(each_stack: StackPlan) -> None:
    """Both binaries serve only /metrics on :8080 (their --listen-address default, v2.7.0): the probes
    must ask that path on a declared port that is 8080, and no argument may move the listener."""
    cleanup = next(
        d
        for d in each_stack.of_type("kubernetes:apps/v1:Deployment")
        if d["props"]["metadata"]["name"] == "local-volume-node-cleanup"
    )
    for workload in (provisioner(each_stack), cleanup["props"]):
        (container,) = workload["spec"]["template"]["spec"]["containers"]
        ports = {p["name"]: p["containerPort"] for p in container["ports"]}
        for kind in ("readinessProbe", "livenessProbe"):
            get = container[kind]["httpGet"]
            assert (get["path"], ports[get["port"]]) == ("/metrics", 8080), (container["name"], kind)
        assert container["readinessProbe"] != container["livenessProbe"]
        assert not any(a.startswith(("--listen-address", "--metrics-path")) for a in container.get("args", []))
