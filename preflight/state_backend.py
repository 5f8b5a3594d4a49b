"""`bootstrap-state`: what a self-managed Pulumi backend needs, created idempotently.

An S3 bucket (versioning, default KMS encryption, public access blocked, TLS-only policy) for the
state, a rotating KMS key behind an alias for the stacks' secrets provider, and the account's
Auto Scaling service-linked role (preflight/service_roles.py). Each step reads the
current setting first and changes only what differs, so a second run changes nothing and says so.
"""

from __future__ import annotations

import json
from typing import Any

import boto3
from botocore.exceptions import ClientError

from preflight.aws import DEFAULT_TIMEOUT_SECONDS, client_config
from preflight.service_roles import ensure_autoscaling_role

ALIAS = "alias/inferadb-pulumi-secrets"
BLOCK_ALL = {
    "BlockPublicAcls": True,
    "IgnorePublicAcls": True,
    "BlockPublicPolicy": True,
    "RestrictPublicBuckets": True,
}


def tls_only_policy(bucket: str) -> dict[str, Any]:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "DenyInsecureTransport",
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:*",
                "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"],
                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
            }
        ],
    }


def bootstrap_state(bucket: str, region: str, timeout: float = DEFAULT_TIMEOUT_SECONDS) -> tuple[list[str], str, str]:
    """(changes made, `pulumi login` URL, secrets provider URL)."""
    session = boto3.session.Session(region_name=region)
    config = client_config(timeout)
    changes: list[str] = []
    ensure_autoscaling_role(session.client("iam", config=config), changes)
    key_arn = _secrets_key(session.client("kms", config=config), changes)
    _bucket(session.client("s3", config=config), bucket, region, key_arn, changes)
    return changes, f"s3://{bucket}?region={region}", f"awskms://{ALIAS}?region={region}"


def _secrets_key(kms: Any, changes: list[str]) -> str:
    aliases = {a["AliasName"]: a.get("TargetKeyId") for a in kms.list_aliases()["Aliases"]}
    if aliases.get(ALIAS):
        key_id = aliases[ALIAS]
    else:
        key_id = kms.create_key(Description="Pulumi secrets provider for InferaDB stacks")["KeyMetadata"]["KeyId"]
        kms.create_alias(AliasName=ALIAS, TargetKeyId=key_id)
        changes.append(f"created KMS key {key_id} as {ALIAS}")
    if not kms.get_key_rotation_status(KeyId=key_id)["KeyRotationEnabled"]:
        kms.enable_key_rotation(KeyId=key_id)
        changes.append(f"enabled rotation of {ALIAS}")
    arn: str = kms.describe_key(KeyId=key_id)["KeyMetadata"]["Arn"]
    return arn


def _bucket(s3: Any, bucket: str, region: str, key_arn: str, changes: list[str]) -> None:
    try:
        s3.head_bucket(Bucket=bucket)
    except ClientError:
        location = {} if region == "us-east-1" else {"CreateBucketConfiguration": {"LocationConstraint": region}}
        s3.create_bucket(Bucket=bucket, **location)
        changes.append(f"created bucket {bucket}")
    if s3.get_bucket_versioning(Bucket=bucket).get("Status") != "Enabled":
        s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
        changes.append("enabled versioning (every state file can be recovered)")
    encryption = {
        "Rules": [
            {
                "ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": key_arn},
                "BucketKeyEnabled": True,
            }
        ]
    }
    if _get(s3.get_bucket_encryption, bucket, "ServerSideEncryptionConfiguration") != encryption:
        s3.put_bucket_encryption(Bucket=bucket, ServerSideEncryptionConfiguration=encryption)
        changes.append("set default encryption with the KMS key")
    if _get(s3.get_public_access_block, bucket, "PublicAccessBlockConfiguration") != BLOCK_ALL:
        s3.put_public_access_block(Bucket=bucket, PublicAccessBlockConfiguration=BLOCK_ALL)
        changes.append("blocked all public access")
    policy = tls_only_policy(bucket)
    current = _get(s3.get_bucket_policy, bucket, "Policy")
    if current is None or json.loads(current) != policy:
        s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps(policy))
        changes.append("required TLS for every request (bucket policy)")


def _get(call: Any, bucket: str, key: str) -> Any:
    try:
        return call(Bucket=bucket).get(key)
    except ClientError:
        return None
