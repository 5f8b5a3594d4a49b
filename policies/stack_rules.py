"""Stack rules: relations between resources (PDB <-> Ledger, StorageClass, ownership, protection)."""

from __future__ import annotations

from typing import Any

from pulumi_policy import EnforcementLevel, PolicyResource, StackValidationArgs, StackValidationPolicy

from inferadb.facts.names import LEDGER_STORAGE_CLASS, NAMESPACE
from inferadb.facts.tailnet_acl import ROUTER_TAG
from policies.support import LEDGER, Report, name_of, provider_tag
from policies.tailscale_rules import ACL, KEY, acl_document

STATEFUL = {"aws:eks/cluster:Cluster", "aws:kms/key:Key", ACL}  # always protected


def _kind(r: PolicyResource, kind: str) -> bool:
    return r.resource_type.startswith("kubernetes:") and r.props.get("kind") == kind


def _ledger(args: StackValidationArgs) -> PolicyResource | None:
    return next((r for r in args.resources if _kind(r, "StatefulSet") and name_of(dict(r.props)) == LEDGER), None)


def ledger_pdb(args: StackValidationArgs, report: Report) -> None:
    ledger = _ledger(args)
    if ledger is None:
        return
    labels = ((ledger.props.get("spec") or {}).get("template") or {}).get("metadata", {}).get("labels") or {}
    budgets = [
        r
        for r in args.resources
        if _kind(r, "PodDisruptionBudget")
        and ((r.props.get("spec") or {}).get("selector") or {}).get("matchLabels", {}).items() <= labels.items()
    ]
    if len(budgets) != 1:
        report(f"{len(budgets)} PodDisruptionBudgets select the Ledger pods; exactly one must", ledger.urn)
    elif (budgets[0].props.get("spec") or {}).get("maxUnavailable") != 1:
        report(
            "the Ledger PodDisruptionBudget must allow exactly one voluntary disruption (maxUnavailable: 1)",
            budgets[0].urn,
        )


def ledger_storage_class(args: StackValidationArgs, report: Report) -> None:
    ledger = _ledger(args)
    if ledger is None:
        return
    claims = (ledger.props.get("spec") or {}).get("volumeClaimTemplates") or []
    for claim in claims:
        wanted = (claim.get("spec") or {}).get("storageClassName")
        found = next((r for r in args.resources if _kind(r, "StorageClass") and name_of(dict(r.props)) == wanted), None)
        if found is None:
            report(f"Ledger claims StorageClass {wanted}, which this stack does not declare", ledger.urn)
        elif (
            found.props.get("reclaimPolicy") != "Delete"
            or found.props.get("volumeBindingMode") != "WaitForFirstConsumer"
        ):
            report(
                f"StorageClass {wanted} must bind WaitForFirstConsumer and Delete released volumes (so a replaced "
                f"node's disk is freed for the node-cleanup controller)",
                found.urn,
            )


def stateful_protected(args: StackValidationArgs, report: Report) -> None:
    if _stack_tag(args, _stack_name(args), "inferadb:environment") == "dev":
        return  # a dev estate is meant to be torn down (make destroy): nothing in it is protected
    for r in args.resources:
        ledger_object = (
            (_kind(r, "StatefulSet") and name_of(dict(r.props)) == LEDGER)
            or (_kind(r, "Namespace") and name_of(dict(r.props)) == NAMESPACE)
            or (_kind(r, "StorageClass") and name_of(dict(r.props)) == LEDGER_STORAGE_CLASS)
        )
        if (r.resource_type in STATEFUL or ledger_object) and not r.opts.protect:
            report(f"{r.resource_type} {r.name} holds state and must be protected", r.urn)


def _stack_name(args: StackValidationArgs) -> str:
    urn = next((r.urn for r in args.resources), "urn:pulumi:unknown::")
    return urn.split("::")[0].removeprefix("urn:pulumi:")


def _stack_role(args: StackValidationArgs, stack: str) -> str | None:
    """The role the program gave this stack's region (`inferadb:role` on its own AWS provider's default
    tags), read from the evaluation itself: whatever topology it was given, never a file here."""
    return _stack_tag(args, stack, "inferadb:role")


def _stack_tag(args: StackValidationArgs, stack: str, key: str) -> str | None:
    """A default tag of the stack's own AWS provider (`inferadb:role`, `inferadb:environment`)."""
    for r in args.resources:
        if r.resource_type == "pulumi:providers:aws" and r.props.get("region") == stack:
            return provider_tag(dict(r.props), key)
    return None


def one_tailnet_policy(args: StackValidationArgs, report: Report) -> None:
    acls = [r for r in args.resources if r.resource_type == ACL]
    if len(acls) > 1:
        report(f"{len(acls)} tailnet policies in one stack; the tailnet has exactly one", acls[1].urn)
    stack = _stack_name(args)
    role = _stack_role(args, stack)
    if acls and role is not None and role != "primary":
        report(
            f"stack {stack} ({role}) declares the tailnet policy, but only the primary's stack may own it", acls[0].urn
        )


def key_tags_owned(args: StackValidationArgs, report: Report) -> None:
    acls = [r for r in args.resources if r.resource_type == ACL]
    # A later region: the primary owns the policy, generated by inferadb/facts/tailnet_acl.py, which
    # declares the router tag alone.
    owners = set(acl_document(dict(acls[0].props)).get("tagOwners", {})) if acls else {ROUTER_TAG}
    for key in (r for r in args.resources if r.resource_type == KEY):
        for tag in set(key.props.get("tags") or []) - owners:
            report(f"auth key tag {tag} is not declared in the policy's tagOwners", key.urn)


NODE_POLICIES = {
    "AmazonEKSWorkerNodePolicy",
    "AmazonEC2ContainerRegistryReadOnly",
    "AmazonEC2ContainerRegistryPullOnly",
}


def node_role_least_privilege(args: StackValidationArgs, report: Report) -> None:
    """Node roles (trusted by EC2) carry only what nodes need; the CNI's rights come through IRSA."""
    node_roles = {
        r.urn
        for r in args.resources
        if r.resource_type == "aws:iam/role:Role" and "ec2.amazonaws.com" in str(r.props.get("assumeRolePolicy", ""))
    }
    for r in args.resources:
        if r.resource_type == "aws:iam/rolePolicyAttachment:RolePolicyAttachment" and any(
            d.urn in node_roles for d in r.dependencies
        ):
            policy = str(r.props.get("policyArn", "")).rsplit("/", 1)[-1]
            if policy not in NODE_POLICIES:
                report(f"node role carries {policy}; nodes need only {', '.join(sorted(NODE_POLICIES))}", r.urn)


def _stack(name: str, description: str, remediation: str, validate: Any) -> StackValidationPolicy:
    return StackValidationPolicy(
        name=name,
        description=description,
        validate=validate,
        remediation_steps=remediation,
        enforcement_level=EnforcementLevel.MANDATORY,
    )


POLICIES = [
    _stack(
        "ledger-pdb-quorum-safe",
        "Exactly one PDB selects the Ledger pods, with maxUnavailable 1",
        "Keep the LedgerCluster's PodDisruptionBudget and no other over its pods.",
        ledger_pdb,
    ),
    _stack(
        "ledger-storageclass",
        "Ledger volumes come from a WaitForFirstConsumer StorageClass that frees released disks",
        "Claim from local-nvme (reclaimPolicy Delete, volumeBindingMode WaitForFirstConsumer).",
        ledger_storage_class,
    ),
    _stack(
        "pulumi-protect-stateful",
        "Stateful resources are protected against accidental deletion",
        "protect=True on the EKS cluster, KMS keys, tailnet policy, Ledger namespace, StatefulSet, StorageClass.",
        stateful_protected,
    ),
    _stack(
        "aws-node-iam-least-privilege",
        "Node roles carry only the worker and registry-read policies (CIS 5.1.3)",
        "Give the VPC CNI its rights through IRSA; attach nothing else to the node role.",
        node_role_least_privilege,
    ),
    _stack(
        "ts-one-policy-file",
        "One tailnet policy across the estate, owned by the primary stack",
        "Only the priority-1 region's stack declares tailscale.Acl.",
        one_tailnet_policy,
    ),
    _stack(
        "ts-acl-tagowners",
        "Every tag an auth key uses is declared in tagOwners",
        "Declare the tag in tailnet_acl.py before a key uses it.",
        key_tags_owned,
    ),
]
