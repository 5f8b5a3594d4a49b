"""Who may use the cluster's API: explicit EKS access entries, never an implicit creator-admin.

The cluster is created with `bootstrap_cluster_creator_admin_permissions` off (flipping it later
replaces the cluster). `eks.deployers` (who runs `pulumi up`) and `eks.admins` get cluster-admin
entries named in the configuration; the identity running the update, read from its session the way
terraform-aws-eks does it (`aws_iam_session_context` of the caller's ARN: an assumed role's source
role, or an IAM user's own ARN), must be one of them and is never made admin for being the caller.
`eks.preview_role`, used by pull-request previews, gets the read-only view policy.
"""

from __future__ import annotations

import hashlib

import pulumi
import pulumi_aws as aws

from components.shared.tags import named

ADMIN_POLICY = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"
VIEW_POLICY = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy"


def deploying_principal(
    owner: pulumi.Resource, admins: tuple[str, ...], deployers: tuple[str, ...]
) -> pulumi.Output[str]:
    """The IAM role (or user) behind the credentials running this update: it must be one of
    `eks.deployers` (or an admin). The entries are theirs, and an update by someone else would
    otherwise run without access to the cluster it changes."""
    invoke = pulumi.InvokeOutputOptions(parent=owner)
    caller = aws.get_caller_identity_output(opts=invoke)
    issuer = aws.iam.get_session_context_output(arn=caller.arn, opts=invoke).issuer_arn

    def checked(arn: str) -> str:
        if arn not in (*deployers, *admins):
            raise pulumi.RunError(
                f"{arn} runs this update but is not in eks.deployers ({', '.join(deployers)}); add it there, "
                f"or run as one of them"
            )
        return arn

    return issuer.apply(checked)


def entry_name(prefix: str, arn: str) -> str:
    """A principal's entry is named after the principal, not its place in a list: reordering
    `eks.deployers` or `eks.admins`, or adding to them, moves no principal between entries (EKS
    refuses a second entry for one principal, and `principal_arn` cannot change in place)."""
    role = arn.rsplit("/", 1)[-1][:40]
    return f"{prefix}-{role}-{hashlib.sha256(arn.encode()).hexdigest()[:8]}"


def grant(
    owner: pulumi.Resource,
    name: str,
    cluster: aws.eks.Cluster,
    principal: pulumi.Input[str],
    policy: str,
    tags: dict[str, str],
    legacy: str | None = None,
) -> aws.eks.AccessPolicyAssociation:
    """An access entry and its policy. `legacy`: the name an earlier version gave this principal's
    entry (by list position), so the first update with per-principal names renames, never replaces."""
    aliases = [pulumi.Alias(name=legacy)] if legacy and legacy != name else None
    entry = aws.eks.AccessEntry(
        name,
        cluster_name=cluster.name,
        principal_arn=principal,
        type="STANDARD",
        tags=named(tags, name),
        opts=pulumi.ResourceOptions(parent=owner, aliases=aliases),
    )
    return aws.eks.AccessPolicyAssociation(
        name,
        cluster_name=cluster.name,
        principal_arn=principal,
        policy_arn=policy,
        access_scope=aws.eks.AccessPolicyAssociationAccessScopeArgs(type="cluster"),
        opts=pulumi.ResourceOptions(parent=owner, depends_on=[entry], aliases=aliases),
    )
