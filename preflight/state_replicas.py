"""What lets the stacks be updated while the primary's region is down: the secrets key replicated to
every other region of the topology (same key material, same alias), and the state bucket replicated
to a bucket in the DR region, encrypted there with the key's replica.

KMS multi-Region keys (KMS developer guide, "Multi-Region keys"): a replica shares the primary's key
material and id (`mrk-...`), so state encrypted in one region decrypts in the other; a key created
single-Region can never become multi-Region. S3 replication (S3 user guide, "Replicating objects")
needs versioning on both buckets, a role S3 assumes, and, for SSE-KMS objects, the destination key
named in the rule. Everything is read first and changed only where it differs.
"""

from __future__ import annotations

import json
from typing import Any

from botocore.exceptions import ClientError

REPLICATION_ROLE = "inferadb-state-replication"


def replica_bucket(bucket: str, region: str) -> str:
    """The DR copy's name: S3 bucket names are global, so the region is part of it."""
    return f"{bucket}-{region}"


def ensure_key_replicas(kms_in: Any, key_id: str, regions: tuple[str, ...], alias: str, changes: list[str]) -> None:
    """A replica of the multi-Region key `key_id` in each of `regions`, behind `alias` there too.

    `kms_in(region)` is a KMS client of that region; the primary's is `kms_in(None)`."""
    for region in regions:
        kms = kms_in(region)
        try:
            kms.describe_key(KeyId=key_id)
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "NotFoundException":
                raise
            kms_in(None).replicate_key(KeyId=key_id, ReplicaRegion=region)
            changes.append(f"replicated the secrets key to {region}")
        aliases = {a["AliasName"]: a.get("TargetKeyId") for a in kms.list_aliases()["Aliases"]}
        if aliases.get(alias) != key_id:
            if alias in aliases:
                kms.update_alias(AliasName=alias, TargetKeyId=key_id)
            else:
                kms.create_alias(AliasName=alias, TargetKeyId=key_id)
            changes.append(f"pointed {alias} in {region} at the replica")


def replication_role_policy(source: str, destination: str, source_key: str, replica_key: str) -> dict[str, Any]:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": ["s3:GetReplicationConfiguration", "s3:ListBucket"],
                "Resource": f"arn:aws:s3:::{source}",
            },
            {
                "Effect": "Allow",
                "Action": [
                    "s3:GetObjectVersionForReplication",
                    "s3:GetObjectVersionAcl",
                    "s3:GetObjectVersionTagging",
                ],
                "Resource": f"arn:aws:s3:::{source}/*",
            },
            {
                "Effect": "Allow",
                "Action": ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"],
                "Resource": f"arn:aws:s3:::{destination}/*",
            },
            {"Effect": "Allow", "Action": ["kms:Decrypt"], "Resource": source_key},
            {"Effect": "Allow", "Action": ["kms:Encrypt"], "Resource": replica_key},
        ],
    }


ASSUME_BY_S3 = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"}, "Action": "sts:AssumeRole"}],
}


def ensure_replication_role(iam: Any, policy: dict[str, Any], changes: list[str]) -> str:
    try:
        arn: str = iam.get_role(RoleName=REPLICATION_ROLE)["Role"]["Arn"]
    except ClientError as exc:
        if exc.response["Error"]["Code"] != "NoSuchEntity":
            raise
        arn = iam.create_role(RoleName=REPLICATION_ROLE, AssumeRolePolicyDocument=json.dumps(ASSUME_BY_S3))["Role"][
            "Arn"
        ]
        changes.append(f"created the role {REPLICATION_ROLE} that S3 replicates the state with")
    try:
        current = iam.get_role_policy(RoleName=REPLICATION_ROLE, PolicyName="replicate-state")["PolicyDocument"]
    except ClientError:
        current = None
    current = json.loads(current) if isinstance(current, str) else current
    if current != policy:
        iam.put_role_policy(RoleName=REPLICATION_ROLE, PolicyName="replicate-state", PolicyDocument=json.dumps(policy))
        changes.append(f"set what {REPLICATION_ROLE} may read, write and decrypt")
    return arn


def replication_configuration(role: str, destination: str, replica_key: str) -> dict[str, Any]:
    return {
        "Role": role,
        "Rules": [
            {
                "ID": "state-to-dr",
                "Priority": 1,
                "Status": "Enabled",
                "Filter": {},
                "DeleteMarkerReplication": {"Status": "Enabled"},
                "SourceSelectionCriteria": {"SseKmsEncryptedObjects": {"Status": "Enabled"}},
                "Destination": {
                    "Bucket": f"arn:aws:s3:::{destination}",
                    "EncryptionConfiguration": {"ReplicaKmsKeyID": replica_key},
                },
            }
        ],
    }


def ensure_bucket_replication(s3: Any, source: str, wanted: dict[str, Any], changes: list[str]) -> None:
    try:
        current = s3.get_bucket_replication(Bucket=source)["ReplicationConfiguration"]
    except ClientError:
        current = None
    if current is None or _rules(current) != _rules(wanted) or current.get("Role") != wanted["Role"]:
        s3.put_bucket_replication(Bucket=source, ReplicationConfiguration=wanted)
        changes.append(f"replicate the state to {wanted['Rules'][0]['Destination']['Bucket'].rsplit(':', 1)[-1]}")


def _rules(configuration: dict[str, Any]) -> list[dict[str, Any]]:
    keep = ("ID", "Status", "Destination")
    return [{k: r.get(k) for k in keep} for r in configuration.get("Rules", [])]
