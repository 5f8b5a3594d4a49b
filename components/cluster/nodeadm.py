"""AL2023 node user data: a nodeadm `NodeConfig` in a MIME part, merged with the one EKS supplies.

`localStorage.strategy: Mount` formats each instance-store NVMe disk and mounts it on its own under
/mnt/k8s-disks/<n>, where the local static provisioner turns each mount into a PersistentVolume.
RAID0 would instead hand the disks to kubelet and containerd as scratch space (docs/sources.md).
"""

from __future__ import annotations

import base64

import yaml

BOUNDARY = "INFERADB-NODEADM"


def node_config(local_storage: str | None) -> dict[str, object]:
    spec: dict[str, object] = {}
    if local_storage:
        spec["instance"] = {"localStorage": {"strategy": local_storage}}
    return {"apiVersion": "node.eks.aws/v1alpha1", "kind": "NodeConfig", "spec": spec}


def user_data(local_storage: str | None) -> str:
    """Base64 MIME multi-part user data carrying one NodeConfig document."""
    document = yaml.safe_dump(node_config(local_storage), sort_keys=False)
    mime = (
        "MIME-Version: 1.0\n"
        f'Content-Type: multipart/mixed; boundary="{BOUNDARY}"\n\n'
        f"--{BOUNDARY}\n"
        "Content-Type: application/node.eks.aws\n\n"
        f"---\n{document}\n"
        f"--{BOUNDARY}--\n"
    )
    return base64.b64encode(mime.encode()).decode()
