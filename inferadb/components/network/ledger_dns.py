"""LedgerDns (peering mode): stable cross-region names for Ledger pods.

Peered VPCs do not share cluster DNS, and pod IPs change when a pod moves. A private hosted zone
(`ledger.inferadb.internal`, created by the primary, associated with every region's VPC) holds one
record per Ledger pod, kept current by external-dns from the headless Service of each region:
`inferadb-ledger-<n>.<region>.ledger.inferadb.internal`. With the VPC CNI a pod IP is a VPC address,
routable over the peering.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws
import pulumi_kubernetes as k8s

from inferadb.components.shared.iam import irsa_role
from inferadb.components.shared.manifest import body
from inferadb.components.shared.pods import container_security
from inferadb.components.shared.tags import named
from inferadb.facts.names import LEDGER_DNS_ZONE, NAMESPACE, PART_OF

EXTERNAL_DNS = "external-dns"
NOBODY_UID = 65534  # the external-dns image runs as nobody
LABELS = {"app.kubernetes.io/name": EXTERNAL_DNS, **PART_OF}


@dataclass(frozen=True)
class LedgerDnsArgs:
    region: str
    vpc_id: pulumi.Input[str]
    zone_id: pulumi.Input[str] | None
    """The primary's zone, read from its stack; None in the primary, which creates the zone."""
    namespace: pulumi.Input[str]
    oidc_provider_arn: pulumi.Input[str]
    oidc_issuer: pulumi.Input[str]
    image: str
    tags: dict[str, str]


class LedgerDns(pulumi.ComponentResource):
    zone_id: pulumi.Output[str]

    def __init__(self, name: str, args: LedgerDnsArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("inferadb:network:LedgerDns", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        if args.zone_id is None:
            zone = aws.route53.Zone(
                f"{name}-zone",
                name=LEDGER_DNS_ZONE,
                comment="InferaDB Ledger pods, every region",
                vpcs=[aws.route53.ZoneVpcArgs(vpc_id=args.vpc_id, vpc_region=args.region)],
                tags=named(args.tags, LEDGER_DNS_ZONE),
                # Later regions add their VPCs with ZoneAssociation; inline `vpcs` would remove them.
                opts=pulumi.ResourceOptions(parent=self, protect=True, ignore_changes=["vpcs"]),
            )
            self.zone_id = zone.zone_id
        else:
            self.zone_id = pulumi.Output.from_input(args.zone_id)
            aws.route53.ZoneAssociation(
                f"{name}-association", zone_id=self.zone_id, vpc_id=args.vpc_id, vpc_region=args.region, opts=child
            )
        role = self._role(name, args, child)
        self._external_dns(name, args, role, child)
        self.register_outputs({"zone_id": self.zone_id})

    def _role(self, name: str, args: LedgerDnsArgs, child: pulumi.ResourceOptions) -> aws.iam.Role:
        role = irsa_role(
            f"{name}-external-dns",
            tags=args.tags,
            oidc_provider_arn=args.oidc_provider_arn,
            oidc_issuer=args.oidc_issuer,
            namespace=NAMESPACE,
            service_account=EXTERNAL_DNS,
            opts=child,
        )
        aws.iam.RolePolicy(
            f"{name}-external-dns",
            role=role.id,
            opts=child,
            policy=self.zone_id.apply(
                lambda zone: json.dumps(
                    {
                        "Version": "2012-10-17",
                        "Statement": [
                            {
                                "Effect": "Allow",
                                "Action": "route53:ChangeResourceRecordSets",
                                "Resource": f"arn:aws:route53:::hostedzone/{zone}",
                            },
                            {
                                "Effect": "Allow",
                                "Resource": "*",
                                "Action": [
                                    "route53:ListHostedZones",
                                    "route53:ListResourceRecordSets",
                                    "route53:ListTagsForResources",
                                ],
                            },
                        ],
                    }
                )
            ),
        )
        return role

    def _external_dns(self, name: str, args: LedgerDnsArgs, role: aws.iam.Role, child: pulumi.ResourceOptions) -> None:
        meta = body({"name": EXTERNAL_DNS, "namespace": args.namespace, "labels": LABELS})
        account = k8s.core.v1.ServiceAccount(
            f"{name}-sa", metadata=body({**meta, "annotations": {"eks.amazonaws.com/role-arn": role.arn}}), opts=child
        )
        reader = k8s.rbac.v1.Role(
            f"{name}-reader",
            metadata=meta,
            rules=body(
                [
                    {
                        "apiGroups": [""],
                        "resources": ["services", "endpoints", "pods"],
                        "verbs": ["get", "list", "watch"],
                    },
                    {
                        "apiGroups": ["discovery.k8s.io"],
                        "resources": ["endpointslices"],
                        "verbs": ["get", "list", "watch"],
                    },
                ]
            ),
            opts=child,
        )
        k8s.rbac.v1.RoleBinding(
            f"{name}-reader",
            metadata=meta,
            role_ref=body({"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": reader.metadata.name}),
            subjects=body([{"kind": "ServiceAccount", "name": account.metadata.name, "namespace": args.namespace}]),
            opts=child,
        )
        k8s.apps.v1.Deployment(
            f"{name}-external-dns",
            metadata=meta,
            spec=body(
                {
                    "replicas": 1,
                    "strategy": {"type": "Recreate"},
                    "selector": {"matchLabels": LABELS},
                    "template": {
                        "metadata": {"labels": LABELS},
                        "spec": {
                            "serviceAccountName": account.metadata.name,
                            "securityContext": {"runAsNonRoot": True, "seccompProfile": {"type": "RuntimeDefault"}},
                            "containers": [
                                {
                                    "name": EXTERNAL_DNS,
                                    "image": args.image,
                                    "args": [
                                        "--source=service",
                                        "--namespace=inferadb",
                                        f"--domain-filter={LEDGER_DNS_ZONE}",
                                        "--provider=aws",
                                        "--aws-zone-type=private",
                                        "--registry=txt",
                                        f"--txt-owner-id=inferadb-{args.region}",
                                        "--txt-prefix=owner-",
                                        "--policy=sync",
                                        "--interval=30s",
                                        # Ledger peers must find each other before they are Ready (bootstrap).
                                        "--always-publish-not-ready-addresses",
                                    ],
                                    "env": [{"name": "AWS_REGION", "value": args.region}],
                                    "securityContext": container_security(NOBODY_UID),
                                    "resources": {
                                        "requests": {"cpu": "10m", "memory": "64Mi"},
                                        "limits": {"cpu": "100m", "memory": "128Mi"},
                                    },
                                    "livenessProbe": {"httpGet": {"path": "/healthz", "port": 7979}},
                                    "readinessProbe": {
                                        "httpGet": {"path": "/healthz", "port": 7979},
                                        "periodSeconds": 10,
                                    },
                                }
                            ],
                        },
                    },
                }
            ),
            opts=child,
        )
