"""The kubeconfig the program (and operators) use: endpoint, CA, and an `aws eks get-token` exec.

No static token and no ambient kubeconfig: every call authenticates with the caller's own AWS
credentials, which EKS maps to Kubernetes permissions through access entries.
"""

from __future__ import annotations

import json


def kubeconfig(cluster_name: str, region: str, endpoint: str, ca_data: str) -> str:
    user = f"aws-{cluster_name}"
    return json.dumps(
        {
            "apiVersion": "v1",
            "kind": "Config",
            "clusters": [
                {"name": cluster_name, "cluster": {"server": endpoint, "certificate-authority-data": ca_data}}
            ],
            "contexts": [{"name": cluster_name, "context": {"cluster": cluster_name, "user": user}}],
            "current-context": cluster_name,
            "users": [
                {
                    "name": user,
                    "user": {
                        "exec": {
                            "apiVersion": "client.authentication.k8s.io/v1beta1",
                            "command": "aws",
                            "args": [
                                "eks",
                                "get-token",
                                "--cluster-name",
                                cluster_name,
                                "--region",
                                region,
                                "--output",
                                "json",
                            ],
                            "interactiveMode": "Never",
                        }
                    },
                }
            ],
        }
    )
