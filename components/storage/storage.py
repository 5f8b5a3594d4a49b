"""LocalNvmeStorage: PersistentVolumes from the Ledger nodes' instance-store disks.

nodeadm mounts each NVMe disk under /mnt/k8s-disks/<n> (components/nodeadm.py); the local static
provisioner (a DaemonSet on the Ledger pool) publishes every mount as a PersistentVolume of the
`local-nvme` StorageClass. Binding waits for the consuming pod, so the scheduler picks the node first.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_kubernetes as k8s
import yaml

from components.shared.manifest import body
from components.shared.options import inherited_waits
from components.shared.protection import guarded
from components.storage.node_cleanup import node_cleanup_controller
from components.storage.probes import METRICS_PORT, metrics_probes
from inferadb.facts.capacity import PROVISIONER_REQUESTS
from inferadb.facts.names import LEDGER_STORAGE_CLASS, LOCAL_DISKS_DIR, PART_OF

STORAGE_CLASS = LEDGER_STORAGE_CLASS
NAMESPACE = "local-storage"
APP = {"app.kubernetes.io/name": "local-static-provisioner", **PART_OF}


@dataclass(frozen=True)
class StorageArgs:
    image: str
    cleanup_image: str
    """The node-cleanup controller (the same project's release)."""
    pool_selector: dict[str, str]
    """Node labels of the Ledger pool, where the disks are."""
    toleration: dict[str, str]
    """The Ledger pool's taint, as a Kubernetes toleration."""
    keep: bool = True
    """Protect what holds data or identity (everywhere but a dev estate: components/shared/protection.py)."""


class LocalNvmeStorage(pulumi.ComponentResource):
    storage_class_name: pulumi.Output[str]

    def __init__(self, name: str, args: StorageArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("inferadb:storage:LocalNvmeStorage", name, None, opts)
        # Every child waits for what the component waits for (the Ledger pool): the node-cleanup
        # Deployment is awaited until ready, and would otherwise race the nodes.
        child = pulumi.ResourceOptions(parent=self, depends_on=inherited_waits(opts))
        # The provisioner needs hostPath mounts and privileges to discover and clean disks, so it
        # lives in its own namespace, the one place the privileged Pod Security level is allowed.
        namespace = k8s.core.v1.Namespace(
            f"{name}-ns",
            metadata={"name": NAMESPACE, "labels": {"pod-security.kubernetes.io/enforce": "privileged", **APP}},
            opts=child,
        )
        account = k8s.core.v1.ServiceAccount(
            f"{name}-sa",
            metadata={"name": "local-static-provisioner", "namespace": namespace.metadata.name, "labels": APP},
            automount_service_account_token=True,
            opts=child,
        )
        self._rbac(name, account, child)
        config = k8s.core.v1.ConfigMap(
            f"{name}-config",
            metadata={"name": "local-static-provisioner-config", "namespace": namespace.metadata.name, "labels": APP},
            data={
                "storageClassMap": yaml.safe_dump(
                    {
                        STORAGE_CLASS: {
                            "hostDir": LOCAL_DISKS_DIR,
                            "mountDir": LOCAL_DISKS_DIR,
                            "volumeMode": "Filesystem",
                            "namePattern": "*",
                        }
                    }
                )
            },
            opts=child,
        )
        self._daemon_set(name, args, namespace, account, config, child)
        node_cleanup_controller(name, namespace.metadata.name, args.cleanup_image, args.toleration, child)
        # Delete: a released volume is wiped and published again by the provisioner, and one whose node
        # is gone is removed by the cleanup controller's deleter (it never removes a Retain volume). A
        # claim is released only when someone, or the cleanup controller for a vanished node, deletes it:
        # the StatefulSet keeps its claims on scale-down and deletion (persistentVolumeClaimRetentionPolicy).
        storage_class = k8s.storage.v1.StorageClass(
            f"{name}-class",
            metadata={"name": STORAGE_CLASS, "labels": APP},
            provisioner="kubernetes.io/no-provisioner",
            volume_binding_mode="WaitForFirstConsumer",
            reclaim_policy="Delete",
            allow_volume_expansion=False,
            opts=pulumi.ResourceOptions.merge(pulumi.ResourceOptions(parent=self), guarded(args.keep, retain=True)),
        )
        self.storage_class_name = storage_class.metadata.name
        self.register_outputs({"storage_class_name": self.storage_class_name})

    def _rbac(self, name: str, account: k8s.core.v1.ServiceAccount, child: pulumi.ResourceOptions) -> None:
        role = k8s.rbac.v1.ClusterRole(
            f"{name}-role",
            metadata={"name": "local-static-provisioner", "labels": APP},
            rules=body(
                [
                    {
                        "apiGroups": [""],
                        "resources": ["persistentvolumes"],
                        "verbs": ["get", "list", "watch", "create", "delete"],
                    },
                    {
                        "apiGroups": ["storage.k8s.io"],
                        "resources": ["storageclasses"],
                        "verbs": ["get", "list", "watch"],
                    },
                    {"apiGroups": [""], "resources": ["nodes"], "verbs": ["get", "list", "watch"]},
                    {"apiGroups": [""], "resources": ["events"], "verbs": ["watch", "create", "update", "patch"]},
                ]
            ),
            opts=child,
        )
        k8s.rbac.v1.ClusterRoleBinding(
            f"{name}-binding",
            metadata={"name": "local-static-provisioner", "labels": APP},
            role_ref=body({"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": role.metadata.name}),
            subjects=body(
                [{"kind": "ServiceAccount", "name": account.metadata.name, "namespace": account.metadata.namespace}]
            ),
            opts=child,
        )

    def _daemon_set(
        self,
        name: str,
        args: StorageArgs,
        namespace: k8s.core.v1.Namespace,
        account: k8s.core.v1.ServiceAccount,
        config: k8s.core.v1.ConfigMap,
        child: pulumi.ResourceOptions,
    ) -> None:
        k8s.apps.v1.DaemonSet(
            f"{name}-provisioner",
            metadata={"name": "local-static-provisioner", "namespace": namespace.metadata.name, "labels": APP},
            spec=body(
                {
                    "selector": {"matchLabels": APP},
                    "template": {
                        "metadata": {"labels": APP},
                        "spec": {
                            "serviceAccountName": account.metadata.name,
                            "priorityClassName": "system-node-critical",
                            "nodeSelector": args.pool_selector,
                            "tolerations": [args.toleration],
                            "containers": [
                                {
                                    "name": "provisioner",
                                    "image": args.image,
                                    "securityContext": {"privileged": True},
                                    "env": [
                                        _field_env("MY_NODE_NAME", "spec.nodeName"),
                                        _field_env("MY_NAMESPACE", "metadata.namespace"),
                                        {"name": "JOB_CONTAINER_IMAGE", "value": args.image},
                                    ],
                                    "ports": [{"name": "metrics", "containerPort": METRICS_PORT}],
                                    **metrics_probes(),
                                    "resources": {
                                        "requests": dict(PROVISIONER_REQUESTS),
                                        "limits": {"cpu": "100m", "memory": "128Mi"},
                                    },
                                    "volumeMounts": [
                                        {"name": "config", "mountPath": "/etc/provisioner/config", "readOnly": True},
                                        {"name": "dev", "mountPath": "/dev"},
                                        {
                                            "name": "disks",
                                            "mountPath": LOCAL_DISKS_DIR,
                                            "mountPropagation": "HostToContainer",
                                        },
                                    ],
                                }
                            ],
                            "volumes": [
                                {"name": "config", "configMap": {"name": config.metadata.name}},
                                {"name": "dev", "hostPath": {"path": "/dev"}},
                                {"name": "disks", "hostPath": {"path": LOCAL_DISKS_DIR}},
                            ],
                        },
                    },
                }
            ),
            opts=child,
        )


def _field_env(name: str, path: str) -> dict[str, Any]:
    return {"name": name, "valueFrom": {"fieldRef": {"fieldPath": path}}}
