"""IAM policy documents the components share (trust policies, IRSA)."""

from __future__ import annotations

import json
from typing import Any

import pulumi
import pulumi_aws as aws

from components.shared.tags import named


def service_trust(service: str) -> str:
    """A role trust policy letting one AWS service (e.g. `eks.amazonaws.com`) assume the role."""
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"Service": service}},
            ],
        }
    )


def irsa_trust(
    oidc_provider_arn: pulumi.Input[str], issuer: pulumi.Input[str], namespace: str, service_account: str
) -> pulumi.Output[str]:
    """Trust for one Kubernetes ServiceAccount through the cluster's OIDC provider (IRSA)."""

    def document(args: list[str]) -> str:
        arn, url = args
        host = url.removeprefix("https://")
        return json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Action": "sts:AssumeRoleWithWebIdentity",
                        "Principal": {"Federated": arn},
                        "Condition": {
                            "StringEquals": {
                                f"{host}:sub": f"system:serviceaccount:{namespace}:{service_account}",
                                f"{host}:aud": "sts.amazonaws.com",
                            }
                        },
                    }
                ],
            }
        )

    return pulumi.Output.all(oidc_provider_arn, issuer).apply(document)


def irsa_role(
    name: str,
    *,
    tags: dict[str, str],
    oidc_provider_arn: pulumi.Input[str],
    oidc_issuer: pulumi.Input[str],
    namespace: str,
    service_account: str,
    opts: pulumi.ResourceOptions,
) -> aws.iam.Role:
    """The one way a component makes a role for a Kubernetes ServiceAccount (IRSA); attach policies to it."""
    return aws.iam.Role(
        name,
        tags=named(tags, name),
        assume_role_policy=irsa_trust(oidc_provider_arn, oidc_issuer, namespace, service_account),
        opts=opts,
    )


def managed_policy(name: str) -> str:
    return f"arn:aws:iam::aws:policy/{name}"


def key_policy(account: str, *extra_statements: dict[str, Any]) -> str:
    """A KMS key policy: the account root administers the key (IAM policies delegate), never "*"."""
    admin = {
        "Sid": "AccountAdministers",
        "Effect": "Allow",
        "Action": "kms:*",
        "Resource": "*",
        "Principal": {"AWS": f"arn:aws:iam::{account}:root"},
    }
    return json.dumps({"Version": "2012-10-17", "Statement": [admin, *extra_statements]})
