"""Who may use the cluster's API: explicit EKS access entries, never an implicit creator-admin.

The cluster is created with `bootstrap_cluster_creator_admin_permissions` off (flipping it later
replaces the cluster), so the identity running `pulumi up` gets its admin entry here, read from its
session the way terraform-aws-eks does it (`aws_iam_session_context` of the caller's ARN: an assumed
role's source role, or an IAM user's own ARN). `eks.admins` get the same; `eks.preview_role`, used
by pull-request previews, gets the read-only view policy.
"""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

from components.shared.tags import named

ADMIN_POLICY = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"
VIEW_POLICY = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy"


def deploying_principal(
    owner: pulumi.Resource, admins: tuple[str, ...], deployers: tuple[str, ...] = ()
) -> pulumi.Output[str]:
    """The IAM role (or user) behind the credentials running this update.

    With `eks.deployers` listed it must be one of them (or an admin): the entries are theirs, and an
    update by someone else would otherwise run without access to the cluster it changes."""
    invoke = pulumi.InvokeOutputOptions(parent=owner)
    caller = aws.get_caller_identity_output(opts=invoke)
    issuer = aws.iam.get_session_context_output(arn=caller.arn, opts=invoke).issuer_arn

    def checked(arn: str) -> str:
        if deployers and arn not in (*deployers, *admins):
            raise pulumi.RunError(
                f"{arn} runs this update but is not in eks.deployers ({', '.join(deployers)}); add it there, "
                f"or run as one of them"
            )
        if not deployers and arn in admins:  # EKS refuses a second access entry for one principal
            raise pulumi.RunError(
                f"{arn} runs this update and is also in eks.admins; remove it there, it gets its entry as the deployer"
            )
        return arn

    return issuer.apply(checked)


def grant(
    owner: pulumi.Resource,
    name: str,
    cluster: aws.eks.Cluster,
    principal: pulumi.Input[str],
    policy: str,
    tags: dict[str, str],
) -> aws.eks.AccessPolicyAssociation:
    entry = aws.eks.AccessEntry(
        name,
        cluster_name=cluster.name,
        principal_arn=principal,
        type="STANDARD",
        tags=named(tags, name),
        opts=pulumi.ResourceOptions(parent=owner),
    )
    return aws.eks.AccessPolicyAssociation(
        name,
        cluster_name=cluster.name,
        principal_arn=principal,
        policy_arn=policy,
        access_scope=aws.eks.AccessPolicyAssociationAccessScopeArgs(type="cluster"),
        opts=pulumi.ResourceOptions(parent=owner, depends_on=[entry]),
    )
