"""EksCluster as it would be deployed: encryption, endpoint, logs, access, IRSA, the provider."""

from __future__ import annotations

import json

from components.cluster.kubeconfig import kubeconfig


def test_kubeconfig_document_execs_aws_eks_get_token() -> None:

    config = json.loads(kubeconfig("inferadb-us-west-1", "us-west-1", "https://x", "Q0E="))
    execution = config["users"][0]["user"]["exec"]
    assert execution["command"] == "aws"
    assert execution["args"][:4] == [
        "eks",
        "get-token",
        "--cluster-name",
        "inferadb-us-west-1",
    ]
    assert "token" not in config["users"][0]["user"]  # no static credential in the document
