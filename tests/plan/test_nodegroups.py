"""NodeGroups as they would be deployed: NVMe Ledger pool, hardened launch templates, rollouts."""

from __future__ import annotations

import base64
import json
from typing import Any

import yaml

from inferadb.facts.catalog import has_local_nvme
from tests.recorded import StackPlan

NODE_GROUP = "aws:eks/nodeGroup:NodeGroup"

TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate"


def group(stack: StackPlan, pool: str) -> dict[str, Any]:
    return next(g for g in stack.of_type(NODE_GROUP) if g["props"]["labels"]["inferadb.io/pool"] == pool)


def template_of(stack: StackPlan, node_group: dict[str, Any]) -> dict[str, Any]:
    return stack.by_id(node_group["props"]["launchTemplate"]["id"])


def node_config(template: dict[str, Any]) -> dict[str, Any]:
    mime = base64.b64decode(template["props"]["userData"]).decode()
    part = mime.split("Content-Type: application/node.eks.aws", 1)[1].split("--INFERADB-NODEADM--")[0]
    document: dict[str, Any] = yaml.safe_load(part)
    return document


def test_ledger_pool_runs_only_nvme_instance_types(each_stack: StackPlan) -> None:
    ledger = group(each_stack, "ledger")
    assert ledger["props"]["instanceTypes"]
    assert all(has_local_nvme(t) for t in ledger["props"]["instanceTypes"])
    assert not any(has_local_nvme(t) for t in group(each_stack, "general")["props"]["instanceTypes"])


def test_every_launch_template_requires_imdsv2_with_hop_limit_one(each_stack: StackPlan) -> None:
    templates = each_stack.of_type(TEMPLATE)
    assert len(templates) == 2
    for template in templates:
        metadata = template["props"]["metadataOptions"]
        assert metadata["httpTokens"] == "required"
        assert metadata["httpPutResponseHopLimit"] == 1


def test_root_volumes_are_encrypted_gp3_with_a_customer_key(each_stack: StackPlan) -> None:
    key = next(k for k in each_stack.of_type("aws:kms/key:Key") if k["name"].endswith("-nodes-volumes"))
    assert key["props"]["enableKeyRotation"] is True
    assert "AWSServiceRoleForAutoScaling" in key["props"]["policy"]  # or instances fail to launch
    for template in each_stack.of_type(TEMPLATE):
        ebs = template["props"]["blockDeviceMappings"][0]["ebs"]
        assert ebs["encrypted"] == "true"
        assert ebs["volumeType"] == "gp3"
        assert ebs["kmsKeyId"].endswith(f":key/{key['id']}")


def test_ledger_nodes_mount_each_nvme_disk_for_local_volumes(each_stack: StackPlan) -> None:
    config = node_config(template_of(each_stack, group(each_stack, "ledger")))
    assert config["kind"] == "NodeConfig"
    assert config["spec"]["instance"]["localStorage"] == {"strategy": "Mount"}  # not RAID0 scratch space
    assert "userData" not in template_of(each_stack, group(each_stack, "general"))["props"]


def test_ledger_pool_is_labelled_and_tainted_general_is_not(each_stack: StackPlan) -> None:
    ledger, general = group(each_stack, "ledger"), group(each_stack, "general")
    assert ledger["props"]["taints"] == [{"key": "dedicated", "value": "ledger", "effect": "NO_SCHEDULE"}]
    assert "taints" not in general["props"]
    assert general["props"]["labels"] == {"inferadb.io/pool": "general"}


def test_rollouts_replace_one_node_at_a_time_without_forcing(each_stack: StackPlan) -> None:
    for node_group in each_stack.of_type(NODE_GROUP):
        assert node_group["props"]["updateConfig"] == {"maxUnavailable": 1}
        assert node_group["props"]["forceUpdateVersion"] is False


def test_pools_span_every_zone_of_the_region(each_stack: StackPlan) -> None:
    for node_group in each_stack.of_type(NODE_GROUP):
        assert node_group["props"]["subnetIds"] == each_stack.exports["private_subnet_ids"]


def test_sizes_and_versions_come_from_the_topology(us_west_1: StackPlan) -> None:
    ledger = group(us_west_1, "ledger")
    assert ledger["props"]["scalingConfig"] == {"minSize": 3, "desiredSize": 3, "maxSize": 4}
    assert ledger["props"]["version"] == "1.35"
    assert ledger["props"]["amiType"] == "AL2023_x86_64_STANDARD"
    assert ledger["ignoreChanges"] == []  # its size follows the topology (test below)


def test_node_role_has_only_the_policies_nodes_need(each_stack: StackPlan) -> None:
    role = next(r for r in each_stack.of_type("aws:iam/role:Role") if r["name"].endswith("-node-role"))
    assert json.loads(role["props"]["assumeRolePolicy"])["Statement"][0]["Principal"] == {
        "Service": "ec2.amazonaws.com"
    }
    attached = {
        a["props"]["policyArn"].rsplit("/", 1)[-1]
        for a in each_stack.of_type("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
        if a["parent"] == role["parent"]
    }
    assert attached == {"AmazonEKSWorkerNodePolicy", "AmazonEC2ContainerRegistryReadOnly"}  # no CNI policy here


def test_the_ledger_pools_size_follows_the_topology_on_a_live_estate(each_stack: StackPlan) -> None:
    # One Ledger pod per node and no autoscaler for it: its desiredSize is applied on every update.
    # The general pool's is used at creation only (an autoscaler the operator runs may move it).
    groups = {g["props"]["labels"]["inferadb.io/pool"]: g for g in each_stack.of_type("aws:eks/nodeGroup:NodeGroup")}
    assert groups["ledger"]["ignoreChanges"] == []
    assert groups["general"]["ignoreChanges"] == ["scalingConfig.desiredSize"]
