"""NodeGroups: the Ledger NVMe pool (tainted) and the general pool, with hardened launch templates."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components.cluster.nodeadm import user_data
from components.shared.iam import key_policy, managed_policy, service_trust
from components.shared.options import inherited_waits
from components.shared.protection import guarded
from components.shared.tags import named
from inferadb.facts.catalog import architecture
from inferadb.facts.names import LEDGER_TAINT, POOL_LABEL
from inferadb.plan.region import PoolSpec

# Nodes get only these; the VPC CNI's permissions come through IRSA (components/addons.py).
NODE_POLICIES = ("AmazonEKSWorkerNodePolicy", "AmazonEC2ContainerRegistryReadOnly")


@dataclass(frozen=True)
class NodeGroupsArgs:
    cluster_name: pulumi.Input[str]
    kubernetes_version: str
    subnet_ids: pulumi.Input[list[str]]
    pools: tuple[PoolSpec, ...]
    tags: dict[str, str]
    keep: bool = True
    """Protect what holds data or identity (everywhere but a dev estate: components/shared/protection.py)."""


class NodeGroups(pulumi.ComponentResource):
    groups: dict[str, aws.eks.NodeGroup]
    node_role_arn: pulumi.Output[str]

    def __init__(self, name: str, args: NodeGroupsArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        """`opts.depends_on`: what must exist before nodes launch (the networking add-ons: nodes need
        the CNI to become Ready)."""
        super().__init__("inferadb:cluster:NodeGroups", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        role = aws.iam.Role(
            f"{name}-node-role",
            assume_role_policy=service_trust("ec2.amazonaws.com"),
            tags=named(args.tags, f"{name}-nodes"),
            opts=child,
        )
        attachments = [
            aws.iam.RolePolicyAttachment(
                f"{name}-node-{policy}", role=role.name, policy_arn=managed_policy(policy), opts=child
            )
            for policy in NODE_POLICIES
        ]
        volume_key = self._volume_key(name, args, child)
        self.groups = {}
        for spec in args.pools:
            template = self._launch_template(name, spec, volume_key, args, child)
            self.groups[spec.pool] = self._node_group(
                name,
                spec,
                template,
                role,
                args,
                pulumi.ResourceOptions(parent=self, depends_on=[*attachments, *inherited_waits(opts)]),
            )
        self.node_role_arn = role.arn
        self.register_outputs({"node_role_arn": self.node_role_arn})

    def autoscaling_group(self, pool: str) -> pulumi.Output[str]:
        """The Auto Scaling group EKS made for a pool's managed node group (one per group). An update
        gives that same group a new launch template version and rolls its nodes (awsdocs/
        amazon-eks-user-guide `latest/ug/nodes/managed-node-update-behavior.adoc` at 4d52b4d0), so a
        target group attached to it stays attached."""
        return self.groups[pool].resources.apply(_first_autoscaling_group)

    def _volume_key(self, name: str, args: NodeGroupsArgs, child: pulumi.ResourceOptions) -> aws.kms.Key:
        # Auto Scaling launches the nodes, so its service-linked role must be able to use the key
        # for the encrypted root volumes; without it instances fail to launch.
        account = aws.get_caller_identity_output(opts=pulumi.InvokeOutputOptions(parent=self)).account_id

        def policy(acct: str) -> str:
            autoscaling = (
                f"arn:aws:iam::{acct}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling"
            )
            use = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"]
            return key_policy(
                acct,
                {
                    "Sid": "AutoScalingUsesKey",
                    "Effect": "Allow",
                    "Resource": "*",
                    "Principal": {"AWS": autoscaling},
                    "Action": use,
                },
                {
                    "Sid": "AutoScalingGrants",
                    "Effect": "Allow",
                    "Resource": "*",
                    "Principal": {"AWS": autoscaling},
                    "Action": "kms:CreateGrant",
                    "Condition": {"Bool": {"kms:GrantIsForAWSResource": "true"}},
                },
            )

        return aws.kms.Key(
            f"{name}-volumes",
            description="EKS node root volumes",
            enable_key_rotation=True,
            deletion_window_in_days=30,
            policy=account.apply(policy),
            tags=named(args.tags, f"{name}-volumes"),
            opts=pulumi.ResourceOptions.merge(child, guarded(args.keep)),
        )

    def _launch_template(
        self, name: str, spec: PoolSpec, key: aws.kms.Key, args: NodeGroupsArgs, child: pulumi.ResourceOptions
    ) -> aws.ec2.LaunchTemplate:
        tags = named(args.tags, f"{name}-{spec.pool}", **{POOL_LABEL: spec.pool})
        return aws.ec2.LaunchTemplate(
            f"{name}-{spec.pool}",
            description=f"InferaDB {spec.pool} nodes",
            update_default_version=True,
            # IMDSv2 only; hop limit 1 keeps pods from reaching the node's instance credentials.
            metadata_options=aws.ec2.LaunchTemplateMetadataOptionsArgs(
                http_endpoint="enabled",
                http_tokens="required",
                http_put_response_hop_limit=spec.imds_hop_limit,
                instance_metadata_tags="disabled",
            ),
            block_device_mappings=[
                aws.ec2.LaunchTemplateBlockDeviceMappingArgs(
                    device_name="/dev/xvda",
                    ebs=aws.ec2.LaunchTemplateBlockDeviceMappingEbsArgs(
                        volume_size=spec.disk_size_gib,
                        volume_type="gp3",
                        encrypted="true",
                        kms_key_id=key.arn,
                        delete_on_termination="true",
                    ),
                )
            ],
            user_data=user_data(spec.local_storage) if spec.local_storage else None,
            tag_specifications=[
                aws.ec2.LaunchTemplateTagSpecificationArgs(resource_type=kind, tags=tags)
                for kind in ("instance", "volume")
            ],
            tags=tags,
            opts=child,
        )

    def _node_group(
        self,
        name: str,
        spec: PoolSpec,
        template: aws.ec2.LaunchTemplate,
        role: aws.iam.Role,
        args: NodeGroupsArgs,
        opts: pulumi.ResourceOptions,
    ) -> aws.eks.NodeGroup:
        arm = architecture(spec.instance_types[0]) == "arm64"
        return aws.eks.NodeGroup(
            f"{name}-{spec.pool}",
            cluster_name=args.cluster_name,
            node_role_arn=role.arn,
            subnet_ids=args.subnet_ids,  # every zone: the ASG balances nodes across them
            instance_types=list(spec.instance_types),
            ami_type="AL2023_ARM_64_STANDARD" if arm else "AL2023_x86_64_STANDARD",
            capacity_type="ON_DEMAND",
            version=args.kubernetes_version,
            scaling_config=aws.eks.NodeGroupScalingConfigArgs(
                min_size=spec.min_size, desired_size=spec.desired_size, max_size=spec.max_size
            ),
            # One node at a time: with NVMe data dying with its node, Raft re-replicates before the next.
            update_config=aws.eks.NodeGroupUpdateConfigArgs(max_unavailable=1),
            force_update_version=False,
            launch_template=aws.eks.NodeGroupLaunchTemplateArgs(
                id=template.id, version=template.latest_version.apply(str)
            ),
            labels={POOL_LABEL: spec.pool},
            taints=[aws.eks.NodeGroupTaintArgs(**LEDGER_TAINT)] if spec.tainted else None,
            tags=named(args.tags, f"{name}-{spec.pool}"),
            # desiredSize: the general pool's is used at creation only (an autoscaler the operator runs
            # may move it); the Ledger pool's is applied on every update, since it holds one Ledger pod per
            # node and nothing else should size it. The Ledger pool is protected: a change that replaces a
            # node group (its instance types, its subnets) would take every Ledger disk of the region at
            # once, so Pulumi refuses it; docs/storage.md has the one-node-at-a-time procedure instead.
            opts=pulumi.ResourceOptions.merge(
                opts,
                pulumi.ResourceOptions(
                    ignore_changes=[] if spec.tainted else ["scalingConfig.desiredSize"],
                    protect=spec.tainted and args.keep,
                ),
            ),
        )


def _first_autoscaling_group(resources: Sequence[aws.eks.outputs.NodeGroupResource]) -> str:
    groups = resources[0].autoscaling_groups if resources else None
    if not groups or not groups[0].name:
        raise ValueError("EKS reported no Auto Scaling group for the node group")
    return groups[0].name
