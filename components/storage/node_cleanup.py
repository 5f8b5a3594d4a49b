"""The local static provisioner's node-cleanup controller, for the `local-nvme` volumes.

kubernetes-sigs/sig-storage-local-static-provisioner (6cbe253, `docs/node-cleanup-controller.md`,
`deployment/kubernetes/example/node-cleanup-controller/`): when a Node object is deleted (a managed
node group terminated and replaced the instance), the controller waits `--pvc-deletion-delay` for it
to come back, then deletes the claims bound to local volumes of that node; its deleter then removes
those volumes when they are Released with a Delete reclaim policy. The Ledger StatefulSet then
recreates the claim, which binds to a free disk on the replacement node, and the pod starts there
with an empty disk and joins as a new voter. Without it the pod stays Pending on a volume pinned to
a node that no longer exists, the PodDisruptionBudget then blocks the next eviction, and the node
group update stalls.
"""

from __future__ import annotations

import pulumi
import pulumi_kubernetes as k8s

from components.shared.manifest import body
from components.shared.pods import container_security, pod_security
from components.storage.probes import METRICS_PORT, metrics_probes
from inferadb.facts.names import LEDGER_STORAGE_CLASS, PART_OF

APP = {"app.kubernetes.io/name": "local-volume-node-cleanup", **PART_OF}
NAME = "local-volume-node-cleanup"
PVC_DELETION_DELAY_SECONDS = 120
"""How long a deleted node may come back before its Ledger claim is given up (the example uses 60)."""


def node_cleanup_controller(
    name: str, namespace: pulumi.Input[str], image: str, toleration: dict[str, str], opts: pulumi.ResourceOptions
) -> k8s.apps.v1.Deployment:
    account = k8s.core.v1.ServiceAccount(
        f"{name}-cleanup-sa", metadata={"name": NAME, "namespace": namespace, "labels": APP}, opts=opts
    )
    role = k8s.rbac.v1.ClusterRole(
        f"{name}-cleanup-role",
        metadata={"name": NAME, "labels": APP},
        rules=body(
            [
                {"apiGroups": [""], "resources": ["persistentvolumes"], "verbs": ["get", "list", "watch", "delete"]},
                {
                    "apiGroups": [""],
                    "resources": ["persistentvolumeclaims"],
                    "verbs": ["get", "list", "watch", "delete"],
                },
                {"apiGroups": [""], "resources": ["nodes"], "verbs": ["get", "list", "watch"]},
                {"apiGroups": [""], "resources": ["events"], "verbs": ["create"]},
            ]
        ),
        opts=opts,
    )
    binding = k8s.rbac.v1.ClusterRoleBinding(
        f"{name}-cleanup-binding",
        metadata={"name": NAME, "labels": APP},
        role_ref=body({"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": role.metadata.name}),
        subjects=body([{"kind": "ServiceAccount", "name": NAME, "namespace": namespace}]),
        opts=opts,
    )
    return k8s.apps.v1.Deployment(
        f"{name}-cleanup",
        metadata={"name": NAME, "namespace": namespace, "labels": APP},
        spec=body(
            {
                "replicas": 1,
                "selector": {"matchLabels": APP},
                "template": {
                    "metadata": {"labels": APP},
                    "spec": {
                        "serviceAccountName": NAME,
                        "securityContext": pod_security(),
                        "tolerations": [toleration],  # a witness region has only the Ledger pool
                        "containers": [
                            {
                                "name": "cleanup",
                                "image": image,
                                "args": [
                                    f"--storageclass-names={LEDGER_STORAGE_CLASS}",
                                    f"--pvc-deletion-delay={PVC_DELETION_DELAY_SECONDS}s",
                                    "--stale-pv-discovery-interval=10s",
                                ],
                                "ports": [{"name": "metrics", "containerPort": METRICS_PORT}],
                                **metrics_probes(),
                                "resources": {
                                    "requests": {"cpu": "10m", "memory": "32Mi"},
                                    "limits": {"cpu": "100m", "memory": "128Mi"},
                                },
                                "securityContext": container_security(),
                            }
                        ],
                    },
                },
            }
        ),
        opts=pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(depends_on=[account, binding])),
    )
