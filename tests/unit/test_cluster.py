"""EksCluster as it would be deployed: encryption, endpoint, logs, access, IRSA, the provider."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from components.cluster.kubeconfig import kubeconfig
from inferadb.model.topology import TopologyError, parse_topology


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


def test_a_principal_is_either_an_admin_or_a_deployer(raw: dict[str, Any]) -> None:
    arn = "arn:aws:iam::111122223333:role/ops"
    raw["eks"]["admins"] = [arn]
    raw["eks"]["deployers"] = [arn]
    with pytest.raises(
        TopologyError, match=re.escape("eks.admins and eks.deployers both list arn:aws:iam::111122223333:role/ops")
    ):
        parse_topology(raw)


@pytest.mark.parametrize("given", [[], None], ids=["empty", "missing"])
def test_someone_must_be_named_to_deploy(raw: dict[str, Any], given: list[str] | None) -> None:
    # Nobody is made cluster admin for being the caller: the topology names who runs `pulumi up`.
    if given is None:
        del raw["eks"]["deployers"]
    else:
        raw["eks"]["deployers"] = given
    with pytest.raises(TopologyError) as caught:
        parse_topology(raw)
    assert "eks.deployers" in str(caught.value)
    assert "list the IAM roles (or users) that run `pulumi up`" in str(caught.value)
