"""EksAddons: EKS-managed add-ons at the versions the topology pins.

Created in two waves by the region: networking (vpc-cni, kube-proxy, eks-pod-identity-agent) before
the node groups, since nodes only become Ready once the CNI runs; coredns after them, since its
Deployment cannot become healthy without nodes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components.shared.iam import irsa_role, managed_policy
from components.shared.options import inherited_waits
from components.shared.pods import ledger_toleration
from components.shared.tags import named


@dataclass(frozen=True)
class AddonsArgs:
    cluster_name: pulumi.Input[str]
    versions: dict[str, str]
    """Add-on name -> pinned version, only the add-ons of this wave."""
    oidc_provider_arn: pulumi.Input[str]
    oidc_issuer: pulumi.Input[str]
    tags: dict[str, str]
    tolerate_ledger_taint: bool = False
    """A region with only the tainted Ledger pool (a witness) must let coredns run there."""


class EksAddons(pulumi.ComponentResource):
    addons: list[aws.eks.Addon]

    def __init__(self, name: str, args: AddonsArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("inferadb:cluster:EksAddons", name, None, opts)
        self.addons = []
        for addon, version in args.versions.items():
            role_arn, config = self._settings(name, addon, args)
            self.addons.append(
                aws.eks.Addon(
                    f"{name}-{addon}",
                    cluster_name=args.cluster_name,
                    addon_name=addon,
                    addon_version=version,
                    service_account_role_arn=role_arn,
                    configuration_values=config,
                    resolve_conflicts_on_create="OVERWRITE",
                    resolve_conflicts_on_update="PRESERVE",  # keep operator edits; pinned versions move on purpose
                    tags=named(args.tags, f"{name}-{addon}"),
                    opts=pulumi.ResourceOptions(parent=self, depends_on=inherited_waits(opts)),
                )
            )
        self.register_outputs({"addons": [a.addon_name for a in self.addons]})

    def _settings(self, name: str, addon: str, args: AddonsArgs) -> tuple[pulumi.Output[str] | None, str | None]:
        if addon == "vpc-cni":
            # The CNI's EC2 permissions through IRSA, not the node role; NetworkPolicy enforcement on.
            role_arn = self._irsa(f"{name}-vpc-cni", "aws-node", "AmazonEKS_CNI_Policy", args)
            return role_arn, json.dumps({"enableNetworkPolicy": "true"})
        if addon == "aws-ebs-csi-driver":
            # The driver creates and attaches EBS volumes (Prometheus's gp3 claim) through IRSA.
            return self._irsa(
                f"{name}-ebs-csi", "ebs-csi-controller-sa", "service-role/AmazonEBSCSIDriverPolicy", args
            ), None
        if addon == "coredns" and args.tolerate_ledger_taint:
            return None, json.dumps({"tolerations": [ledger_toleration()]})
        return None, None

    def _irsa(self, name: str, service_account: str, policy: str, args: AddonsArgs) -> pulumi.Output[str]:
        """A role only the add-on's kube-system ServiceAccount can assume, with one AWS managed policy."""
        role = irsa_role(
            name,
            tags=args.tags,
            oidc_provider_arn=args.oidc_provider_arn,
            oidc_issuer=args.oidc_issuer,
            namespace="kube-system",
            service_account=service_account,
            opts=pulumi.ResourceOptions(parent=self),
        )
        aws.iam.RolePolicyAttachment(
            name, role=role.name, policy_arn=managed_policy(policy), opts=pulumi.ResourceOptions(parent=self)
        )
        return role.arn
