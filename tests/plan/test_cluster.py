"""EksCluster as it would be deployed: encryption, endpoint, logs, access, IRSA, the provider."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from components.cluster.access_entries import entry_name
from tests.recorded import StackPlan, synth_in_process

ROOT = Path(__file__).resolve().parents[2]

ENTRY = "aws:eks/accessEntry:AccessEntry"
ASSOCIATION = "aws:eks/accessPolicyAssociation:AccessPolicyAssociation"
INGRESS_RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
CLUSTER = "aws:eks/cluster:Cluster"


def secrets_key(stack: StackPlan) -> dict[str, Any]:
    return next(k for k in stack.of_type("aws:kms/key:Key") if k["name"].endswith("-cluster-secrets"))


def test_secrets_are_envelope_encrypted_with_a_rotating_customer_key(each_stack: StackPlan) -> None:
    cluster, key = each_stack.one(CLUSTER), secrets_key(each_stack)
    encryption = cluster["props"]["encryptionConfig"]
    assert encryption["resources"] == ["secrets"]
    assert encryption["provider"]["keyArn"].endswith(f":key/{key['id']}")
    assert key["props"]["enableKeyRotation"] is True
    assert key["props"]["deletionWindowInDays"] == 30
    assert '"Principal": {"AWS": "arn:aws:iam::123456789012:root"}' in key["props"]["policy"]  # never "*"


def test_api_endpoint_is_private_plus_the_allow_listed_deployers(each_stack: StackPlan) -> None:
    vpc_config = each_stack.one(CLUSTER)["props"]["vpcConfig"]
    assert vpc_config["endpointPrivateAccess"] is True
    assert vpc_config["endpointPublicAccess"] is True
    assert vpc_config["publicAccessCidrs"] == ["203.0.113.0/24"]  # the placeholder preflight refuses
    assert [r for r in each_stack.of_type(INGRESS_RULE) if r["props"]["fromPort"] == 443] == []  # no private_cidrs


def test_every_control_plane_log_type_goes_to_a_retained_log_group(each_stack: StackPlan) -> None:
    cluster = each_stack.one(CLUSTER)
    assert set(cluster["props"]["enabledClusterLogTypes"]) == {
        "api",
        "audit",
        "authenticator",
        "controllerManager",
        "scheduler",
    }
    logs = next(
        g for g in each_stack.of_type("aws:cloudwatch/logGroup:LogGroup") if g["name"].endswith("-cluster-logs")
    )
    assert logs["props"]["name"] == f"/aws/eks/{cluster['props']['name']}/cluster"
    assert logs["props"]["retentionInDays"] == 90
    assert logs["urn"] in cluster["dependencies"]  # exists before EKS creates it without retention


def test_access_is_by_explicit_access_entries_only(each_stack: StackPlan) -> None:
    access = each_stack.one(CLUSTER)["props"]["accessConfig"]
    assert access == {"authenticationMode": "API", "bootstrapClusterCreatorAdminPermissions": False}
    # read only at creation: an older cluster (flag on) keeps it instead of being replaced
    assert each_stack.one(CLUSTER)["ignoreChanges"] == ["accessConfig.bootstrapClusterCreatorAdminPermissions"]
    # The deploying role (from its session, not the assumed-role ARN) gets an explicit admin entry, and
    # the Kubernetes provider waits for it: no object is sent before the deployer may create it.
    entry = each_stack.one(ENTRY)
    assert entry["props"]["principalArn"] == "arn:aws:iam::123456789012:role/inferadb-deploy"
    association = each_stack.one(ASSOCIATION)
    assert association["props"]["policyArn"].endswith("/AmazonEKSClusterAdminPolicy")
    assert association["props"]["principalArn"] == entry["props"]["principalArn"]
    assert association["urn"] in each_stack.one("pulumi:providers:kubernetes")["dependencies"]


def test_control_plane_spans_every_zone(each_stack: StackPlan) -> None:
    subnets = each_stack.one(CLUSTER)["props"]["vpcConfig"]["subnetIds"]
    assert subnets == each_stack.exports["private_subnet_ids"]
    zones = {each_stack.by_id(s)["props"]["availabilityZone"] for s in subnets}
    assert len(zones) == (2 if each_stack.directory.name == "us-west-1" else 3)


def test_stateful_cluster_resources_are_protected(each_stack: StackPlan) -> None:
    cluster = each_stack.one(CLUSTER)
    assert cluster["protect"] is True
    assert cluster["props"]["deletionProtection"] is True
    assert all(k["protect"] for k in each_stack.of_type("aws:kms/key:Key"))


def test_oidc_provider_trusts_the_clusters_issuer(each_stack: StackPlan) -> None:
    oidc = each_stack.one("aws:iam/openIdConnectProvider:OpenIdConnectProvider")
    assert oidc["props"]["url"].startswith(f"https://oidc.eks.{each_stack.directory.name}.amazonaws.com/id/")
    assert oidc["props"]["clientIdLists"] == ["sts.amazonaws.com"]
    assert each_stack.exports["oidc_provider_arn"].endswith(oidc["props"]["url"].removeprefix("https://"))


def test_vpc_cni_gets_its_permissions_through_irsa(each_stack: StackPlan) -> None:
    cni = next(a for a in each_stack.of_type("aws:eks/addon:Addon") if a["props"]["addonName"] == "vpc-cni")
    role = next(r for r in each_stack.of_type("aws:iam/role:Role") if r["name"].endswith("-vpc-cni"))
    trust = json.loads(role["props"]["assumeRolePolicy"])["Statement"][0]
    assert trust["Action"] == "sts:AssumeRoleWithWebIdentity"
    assert "system:serviceaccount:kube-system:aws-node" in trust["Condition"]["StringEquals"].values()
    assert cni["props"]["serviceAccountRoleArn"].startswith("arn:aws:iam::")
    assert role["urn"] in cni["dependencies"]
    assert json.loads(cni["props"]["configurationValues"]) == {"enableNetworkPolicy": "true"}


def test_addons_are_pinned_and_ordered_around_the_nodes(each_stack: StackPlan) -> None:
    topology = yaml.safe_load((ROOT / "topology.yaml").read_text())
    addons = {a["props"]["addonName"]: a for a in each_stack.of_type("aws:eks/addon:Addon")}
    assert {n: a["props"]["addonVersion"] for n, a in addons.items()} == topology["eks"]["addons"]
    groups = [g["urn"] for g in each_stack.of_type("aws:eks/nodeGroup:NodeGroup")]
    for group in each_stack.of_type("aws:eks/nodeGroup:NodeGroup"):
        assert addons["vpc-cni"]["urn"] in group["dependencies"]  # nodes need the CNI to become Ready
    assert set(groups) <= set(addons["coredns"]["dependencies"])  # coredns needs nodes to run on


def test_kubernetes_objects_use_only_the_clusters_provider(each_stack: StackPlan) -> None:
    provider = each_stack.one("pulumi:providers:kubernetes")
    assert provider["parent"] == each_stack.one("inferadb:cluster:EksCluster")["urn"]
    kubernetes = [r for r in each_stack.resources if r["type"].startswith("kubernetes:")]
    assert kubernetes
    assert all(r["provider"].startswith(provider["urn"] + "::") for r in kubernetes)


def test_kubeconfig_is_secret_and_uses_get_token(each_stack: StackPlan) -> None:
    assert each_stack.exports["kubeconfig"] == "[secret]"
    assert each_stack.one("pulumi:providers:kubernetes")["props"]["kubeconfig"] == "[secret]"


def test_cluster_exports(each_stack: StackPlan) -> None:
    for key in ("cluster_name", "cluster_endpoint", "oidc_provider_arn", "cluster_security_group_id", "kubeconfig"):
        assert each_stack.exports[key]
    assert each_stack.exports["cluster_security_group_id"].startswith("sg-")
    # The old, misleading name stays one release, with the same value, for readers still using it.
    assert each_stack.exports["node_security_group_id"] == each_stack.exports["cluster_security_group_id"]


def test_admins_and_the_preview_role_get_their_own_entries(admin_variant: StackPlan) -> None:
    entries = {e["props"]["principalArn"]: e for e in admin_variant.of_type(ENTRY)}
    policies = {a["props"]["principalArn"]: a for a in admin_variant.of_type(ASSOCIATION)}
    assert (
        set(entries)
        == set(policies)
        == {
            "arn:aws:iam::123456789012:role/inferadb-deploy",
            "arn:aws:iam::123456789012:role/inferadb-ci",
            "arn:aws:iam::111122223333:role/platform-admin",
            "arn:aws:iam::111122223333:role/inferadb-preview",
        }
    )
    assert policies["arn:aws:iam::111122223333:role/platform-admin"]["props"]["policyArn"].endswith(
        "ClusterAdminPolicy"
    )
    assert policies["arn:aws:iam::111122223333:role/inferadb-preview"]["props"]["policyArn"].endswith(
        "/AmazonEKSViewPolicy"
    )
    for principal, association in policies.items():
        assert association["props"]["accessScope"] == {"type": "cluster"}
        assert entries[principal]["urn"] in association["dependencies"]


def test_private_api_access_is_a_443_rule_on_the_cluster_security_group(admin_variant: StackPlan) -> None:
    vpc_config = admin_variant.one(CLUSTER)["props"]["vpcConfig"]
    assert vpc_config["publicAccessCidrs"] == ["198.18.0.0/24"]
    cluster_group = admin_variant.exports["cluster_security_group_id"]
    # The only rule on the cluster's group for 443 (Control's public NLB has a 443 rule of its own).
    (rule,) = [
        r
        for r in admin_variant.of_type(INGRESS_RULE)
        if r["props"]["fromPort"] == 443 and r["props"]["securityGroupId"] == cluster_group
    ]
    assert (rule["props"]["cidrIpv4"], rule["props"]["fromPort"], rule["props"]["toPort"]) == ("10.99.0.0/16", 443, 443)
    assert rule["urn"] in admin_variant.one("pulumi:providers:kubernetes")["dependencies"]
    assert rule["props"]["description"].endswith("(eks.api_access.private_cidrs)")


def test_upgrade_policy_is_explicit(each_stack: StackPlan) -> None:
    assert each_stack.one(CLUSTER)["props"]["upgradePolicy"] == {"supportType": "STANDARD"}


def test_every_log_group_is_encrypted_with_the_regions_logs_key(each_stack: StackPlan) -> None:
    key = next(k for k in each_stack.of_type("aws:kms/key:Key") if k["name"].endswith("-logs-key"))
    groups = each_stack.of_type("aws:cloudwatch/logGroup:LogGroup")
    assert len(groups) == 2  # control plane and VPC flow logs
    region = each_stack.exports["region"]
    for group in groups:
        assert group["props"]["kmsKeyId"] == f"arn:aws:kms:{region}:123456789012:key/{key['id']}"
        assert key["urn"] in group["dependencies"]
    policy = key["props"]["policy"]
    assert f'"Service": "logs.{region}.amazonaws.com"' in policy
    assert f'"kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:{region}:123456789012:log-group:*"' in policy
    assert key["protect"] is True


DEPLOY = "arn:aws:iam::123456789012:role/inferadb-deploy"  # the mock session's role (synth/mocks.py)
CI_ROLE = "arn:aws:iam::123456789012:role/inferadb-ci"


def deployer_entries(stack: StackPlan) -> dict[str, tuple[str, list[str]]]:
    """Entry name -> (principal, the names it answers to) of the deployers' entries."""
    return {
        e["name"]: (e["props"]["principalArn"], e["aliases"]) for e in stack.of_type(ENTRY) if "-deployer" in e["name"]
    }


def test_each_deployer_keeps_an_entry_named_after_it_whatever_the_order(
    admin_variant: StackPlan, client_access: dict[str, dict[str, StackPlan]]
) -> None:
    listed = deployer_entries(admin_variant)  # eks.deployers: [DEPLOY, CI_ROLE]
    assert listed == {
        entry_name("us-west-1-cluster-deployer", DEPLOY): (DEPLOY, ["us-west-1-cluster-deployer"]),
        entry_name("us-west-1-cluster-deployer", CI_ROLE): (CI_ROLE, ["us-west-1-cluster-deployer-1"]),
    }  # the aliases are the names an earlier version gave them by position: upgrading renames, not replaces
    # The same people in the other order, run by DEPLOY (the internal client-access variant lists them so).
    reordered = deployer_entries(client_access["internal"]["us-west-1"])
    assert {name: principal for name, (principal, _) in reordered.items()} == {
        name: principal for name, (principal, _) in listed.items()
    }  # no principal moves between entries, so nothing is replaced or refused as a duplicate
    # (It really is the other order: CI's entry answers to the first position's old name there.)
    assert reordered[entry_name("us-west-1-cluster-deployer", CI_ROLE)][1] == ["us-west-1-cluster-deployer"]


def test_an_update_by_someone_not_listed_stops(raw: dict[str, Any], tmp_path: Path) -> None:
    raw["eks"]["deployers"] = [CI_ROLE]
    source = tmp_path / "topology.yaml"
    source.write_text(yaml.safe_dump(raw))
    result = synth_in_process("--stack", "us-west-1", "--topology", source, "--out", tmp_path / "out")
    assert result.returncode != 0
    assert f"{DEPLOY} runs this update but is not in eks.deployers ({CI_ROLE})" in result.stdout + result.stderr
