"""`bootstrap-state`: what a self-managed Pulumi backend needs, created idempotently.

An S3 bucket (versioning, default KMS encryption, public access blocked, TLS-only policy) for the
state, a rotating multi-Region KMS key behind an alias for the stacks' secrets provider, and the
account's Auto Scaling service-linked role (preflight/service_roles.py). With other regions named
(the topology's), the key gets a replica and the alias in each, and the state bucket replicates to a
bucket in the DR region (preflight/state_replicas.py), so the DR stack can be updated while the
primary's region is down (docs/failover.md). Each step reads the current setting first and changes
only what differs, so a second run changes nothing and says so.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from inferadb.facts.names import SECRETS_KEY_ALIAS, backend_url, secrets_provider_url
from preflight.aws import DEFAULT_TIMEOUT_SECONDS, client_config, session
from preflight.service_roles import ensure_autoscaling_role
from preflight.state_replicas import (
    ensure_bucket_replication,
    ensure_key_replicas,
    ensure_replication_role,
    replica_bucket,
    replication_configuration,
    replication_role_policy,
)

ALIAS = SECRETS_KEY_ALIAS
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


@dataclass(frozen=True)
class Backend:
    changes: list[str]
    login: str
    """`pulumi login` URL of the state bucket."""
    secrets: str
    """The stacks' secrets provider URL."""
    dr_login: str | None = None
    """The same state, replicated to the DR region: the URL to log in with while the primary is down."""
    dr_secrets: str | None = None


def bootstrap_state(
    bucket: str,
    region: str,
    timeout: float = DEFAULT_TIMEOUT_SECONDS,
    replicas: tuple[str, ...] = (),
    dr: str | None = None,
) -> Backend:
    """The backend in `region`; the key replicated to `replicas`, the bucket to `dr` (one of them)."""
    home = session(region)
    config = client_config(timeout)
    changes: list[str] = []
    ensure_autoscaling_role(home.client("iam", config=config), changes)
    kms = home.client("kms", config=config)
    key_id, key_arn, multi_region = _secrets_key(kms, changes)
    _bucket(home.client("s3", config=config), bucket, region, key_arn, changes)
    backend = Backend(changes, backend_url(bucket, region), secrets_provider_url(region))
    if not replicas:
        return backend
    if not multi_region:
        changes.append(
            f"kept {ALIAS}, a single-Region key that cannot be replicated: the stacks cannot decrypt their "
            f"secrets without {region} (docs/failover.md, 'Moving to a multi-Region secrets key')"
        )
        return backend

    def kms_in(other: str | None) -> Any:
        return kms if other is None else session(other).client("kms", config=config)

    ensure_key_replicas(kms_in, key_id, replicas, ALIAS, changes)
    if dr is None:
        return backend
    copy = replica_bucket(bucket, dr)
    replica_arn: str = kms_in(dr).describe_key(KeyId=key_id)["KeyMetadata"]["Arn"]
    _bucket(session(dr).client("s3", config=config), copy, dr, replica_arn, changes)
    policy = replication_role_policy(bucket, copy, key_arn, replica_arn)
    role = ensure_replication_role(home.client("iam", config=config), policy, changes)
    s3 = home.client("s3", config=config)
    ensure_bucket_replication(s3, bucket, replication_configuration(role, copy, replica_arn), changes)
    return Backend(changes, backend.login, backend.secrets, backend_url(copy, dr), secrets_provider_url(dr))


def _secrets_key(kms: Any, changes: list[str]) -> tuple[str, str, bool]:
    """(key id, ARN, multi-Region?) of the key behind ALIAS, created multi-Region when missing."""
    aliases = {a["AliasName"]: a.get("TargetKeyId") for a in kms.list_aliases()["Aliases"]}
    if aliases.get(ALIAS):
        key_id = aliases[ALIAS]
    else:
        key_id = kms.create_key(Description="Pulumi secrets provider for InferaDB stacks", MultiRegion=True)[
            "KeyMetadata"
        ]["KeyId"]
        kms.create_alias(AliasName=ALIAS, TargetKeyId=key_id)
        changes.append(f"created the multi-Region KMS key {key_id} as {ALIAS}")
    if not kms.get_key_rotation_status(KeyId=key_id)["KeyRotationEnabled"]:
        kms.enable_key_rotation(KeyId=key_id)
        changes.append(f"enabled rotation of {ALIAS}")
    metadata = kms.describe_key(KeyId=key_id)["KeyMetadata"]
    return key_id, str(metadata["Arn"]), bool(metadata.get("MultiRegion"))


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
