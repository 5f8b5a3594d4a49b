"""EksCluster: the control plane of one region, its secrets key, logs, access, IRSA and provider."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws
import pulumi_kubernetes as k8s

from components.cluster.access_entries import ADMIN_POLICY, VIEW_POLICY, deploying_principal, entry_name, grant
from components.cluster.kubeconfig import kubeconfig
from components.shared.iam import key_policy, managed_policy, service_trust
from components.shared.protection import guarded
from components.shared.tags import named

# All five control-plane log types (CIS EKS 2.1.1 asks for api, audit, authenticator at least).
LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"]


@dataclass(frozen=True)
class ClusterArgs:
    cluster_name: str
    region: str
    kubernetes_version: str
    subnet_ids: pulumi.Input[list[str]]
    """Private subnets of every zone the region uses (control-plane ENIs and nodes)."""
    admins: tuple[str, ...]
    deployers: tuple[str, ...]
    preview_role: str | None
    public_cidrs: tuple[str, ...]
    """Egress ranges allowed to the public endpoint; empty: the public endpoint is off."""
    private_cidrs: tuple[str, ...]
    """Networks admitted on 443 to the private endpoint."""
    log_retention_days: int
    logs_key_arn: pulumi.Input[str]
    upgrade_support: str
    """The upgrade policy's support type: STANDARD, or EXTENDED when the topology accepts extended support."""
    tags: dict[str, str]
    keep: bool = True
    """Protect what holds data or identity (everywhere but a dev estate: components/shared/protection.py)."""


class EksCluster(pulumi.ComponentResource):
    cluster_name: pulumi.Output[str]
    endpoint: pulumi.Output[str]
    oidc_provider_arn: pulumi.Output[str]
    oidc_issuer: pulumi.Output[str]
    cluster_security_group_id: pulumi.Output[str]
    kms_key_arn: pulumi.Output[str]
    kubeconfig: pulumi.Output[str]
    """Secret: the kubeconfig operators and the provider use."""
    provider: k8s.Provider
    """The only Kubernetes provider objects of this region may use."""
    api_access: list[pulumi.Resource]
    """The deployer's admin entry and the 443 rules: what the Kubernetes provider needs first."""

    def __init__(self, name: str, args: ClusterArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("inferadb:cluster:EksCluster", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        key = self._secrets_key(name, args, child)
        role = aws.iam.Role(
            f"{name}-role",
            assume_role_policy=service_trust("eks.amazonaws.com"),
            tags=named(args.tags, f"{name}-cluster"),
            opts=child,
        )
        policy = aws.iam.RolePolicyAttachment(
            f"{name}-role-policy", role=role.name, policy_arn=managed_policy("AmazonEKSClusterPolicy"), opts=child
        )
        # EKS writes to this exact name; creating it first sets the retention instead of "never expire".
        logs = aws.cloudwatch.LogGroup(
            f"{name}-logs",
            name=f"/aws/eks/{args.cluster_name}/cluster",
            retention_in_days=args.log_retention_days,
            kms_key_id=args.logs_key_arn,
            tags=named(args.tags, f"{name}-logs"),
            opts=child,
        )
        cluster = self._cluster(name, args, role, key, pulumi.ResourceOptions(parent=self, depends_on=[policy, logs]))
        issuer = cluster.identities.apply(lambda ids: (ids[0].oidcs[0].issuer or "") if ids and ids[0].oidcs else "")
        oidc = aws.iam.OpenIdConnectProvider(
            f"{name}-oidc",
            url=issuer,
            client_id_lists=["sts.amazonaws.com"],
            tags=named(args.tags, f"{name}-oidc"),
            opts=child,
        )
        self.api_access = self._access(name, args, cluster)
        self.cluster_name = cluster.name
        self.endpoint = cluster.endpoint
        self.oidc_provider_arn = oidc.arn
        self.oidc_issuer = issuer
        self.cluster_security_group_id = cluster.vpc_config.apply(lambda vpc: vpc.cluster_security_group_id or "")
        self.kms_key_arn = key.arn
        self.kubeconfig = pulumi.Output.secret(
            pulumi.Output.all(cluster.endpoint, cluster.certificate_authority.data).apply(
                lambda v: kubeconfig(args.cluster_name, args.region, v[0], v[1])
            )
        )
        # Kubernetes objects go through this provider: they wait until the deployer may reach and use the API.
        self.provider = k8s.Provider(
            f"{name}-k8s",
            kubeconfig=self.kubeconfig,
            opts=pulumi.ResourceOptions(parent=self, depends_on=self.api_access),
        )
        self.register_outputs(
            {
                "cluster_name": self.cluster_name,
                "endpoint": self.endpoint,
                "oidc_provider_arn": self.oidc_provider_arn,
                "kubeconfig": self.kubeconfig,
            }
        )

    def _secrets_key(self, name: str, args: ClusterArgs, child: pulumi.ResourceOptions) -> aws.kms.Key:
        account = aws.get_caller_identity_output(opts=pulumi.InvokeOutputOptions(parent=self)).account_id
        policy = account.apply(key_policy)
        key = aws.kms.Key(
            f"{name}-secrets",
            description=f"EKS secrets envelope encryption for {args.cluster_name}",
            enable_key_rotation=True,
            deletion_window_in_days=30,
            policy=policy,
            tags=named(args.tags, f"{name}-secrets"),
            opts=pulumi.ResourceOptions.merge(child, guarded(args.keep)),
        )
        aws.kms.Alias(
            f"{name}-secrets", name=f"alias/{args.cluster_name}-secrets", target_key_id=key.key_id, opts=child
        )
        return key

    def _cluster(
        self, name: str, args: ClusterArgs, role: aws.iam.Role, key: aws.kms.Key, opts: pulumi.ResourceOptions
    ) -> aws.eks.Cluster:
        public = bool(args.public_cidrs)
        return aws.eks.Cluster(
            f"{name}-eks",
            name=args.cluster_name,
            version=args.kubernetes_version,
            role_arn=role.arn,
            vpc_config=aws.eks.ClusterVpcConfigArgs(
                subnet_ids=args.subnet_ids,
                endpoint_private_access=True,
                endpoint_public_access=public,
                public_access_cidrs=list(args.public_cidrs) if public else None,
            ),
            encryption_config=aws.eks.ClusterEncryptionConfigArgs(
                provider=aws.eks.ClusterEncryptionConfigProviderArgs(key_arn=key.arn), resources=["secrets"]
            ),
            enabled_cluster_log_types=LOG_TYPES,
            upgrade_policy=aws.eks.ClusterUpgradePolicyArgs(support_type=args.upgrade_support),
            # API mode: access is granted by access entries only (never the aws-auth ConfigMap), and
            # explicitly, also for the identity creating the cluster (components/cluster/access_entries.py).
            access_config=aws.eks.ClusterAccessConfigArgs(
                authentication_mode="API", bootstrap_cluster_creator_admin_permissions=False
            ),
            # The four networking add-ons are managed (and pinned) as EKS add-ons instead.
            bootstrap_self_managed_addons=False,
            deletion_protection=args.keep,
            tags=named(args.tags, args.cluster_name),
            # The flag is read only at creation and changing it replaces the cluster: a cluster created by an
            # earlier version of this program (flag on) keeps it rather than being replaced.
            opts=pulumi.ResourceOptions.merge(
                opts,
                pulumi.ResourceOptions(
                    protect=args.keep, ignore_changes=["accessConfig.bootstrapClusterCreatorAdminPermissions"]
                ),
            ),
        )

    def _access(self, name: str, args: ClusterArgs, cluster: aws.eks.Cluster) -> list[pulumi.Resource]:
        caller = deploying_principal(self, args.admins, args.deployers)
        # Every entry names its principal from the configuration (eks.deployers, eks.admins): the
        # identity running the update is never made admin by being the caller, and changing who runs
        # it changes no entry. The first deployer's principal goes through the caller check, so an
        # update by someone not listed stops there, before any entry changes. Each entry answers to
        # the name an earlier version gave it by position (aliases): upgrading renames, not replaces.
        first, *rest = args.deployers
        deployer = f"{name}-deployer"
        needed: list[pulumi.Resource] = [
            grant(
                self,
                entry_name(deployer, first),
                cluster,
                caller.apply(lambda _: first),
                ADMIN_POLICY,
                args.tags,
                legacy=deployer,
            ),
            *(
                grant(self, entry_name(deployer, arn), cluster, arn, ADMIN_POLICY, args.tags, legacy=f"{deployer}-{i}")
                for i, arn in enumerate(rest, start=1)
            ),
        ]
        for index, principal in enumerate(args.admins):
            admin = entry_name(f"{name}-admin", principal)
            grant(self, admin, cluster, principal, ADMIN_POLICY, args.tags, legacy=f"{name}-admin-{index}")
        if args.preview_role is not None:
            grant(self, f"{name}-preview", cluster, args.preview_role, VIEW_POLICY, args.tags)
        group = cluster.vpc_config.apply(lambda vpc: vpc.cluster_security_group_id or "")
        for index, cidr in enumerate(args.private_cidrs):
            needed.append(
                aws.vpc.SecurityGroupIngressRule(
                    f"{name}-api-{index}",
                    security_group_id=group,
                    cidr_ipv4=cidr,
                    ip_protocol="tcp",
                    from_port=443,
                    to_port=443,
                    description=f"Kubernetes API from {cidr} (eks.api_access.private_cidrs)",
                    tags=named(args.tags, f"{name}-api-{index}"),
                    opts=pulumi.ResourceOptions(parent=self),
                )
            )
        return needed
