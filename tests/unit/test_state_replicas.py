"""The replication rule and role bootstrap-state sends (moto stores only part of them)."""

from __future__ import annotations

from preflight.state_replicas import replica_bucket, replication_configuration, replication_role_policy

SOURCE_KEY = "arn:aws:kms:us-west-1:111122223333:key/mrk-1"
REPLICA_KEY = "arn:aws:kms:eu-central-1:111122223333:key/mrk-1"


def test_the_rule_replicates_kms_encrypted_state_and_deletions_with_the_replica_key() -> None:
    configuration = replication_configuration("arn:aws:iam::111122223333:role/r", "state-eu-central-1", REPLICA_KEY)
    (rule,) = configuration["Rules"]
    assert rule["Filter"] == {}  # every object
    assert rule["SourceSelectionCriteria"] == {"SseKmsEncryptedObjects": {"Status": "Enabled"}}
    assert rule["DeleteMarkerReplication"] == {"Status": "Enabled"}
    assert rule["Destination"]["EncryptionConfiguration"] == {"ReplicaKmsKeyID": REPLICA_KEY}


def test_the_role_may_read_the_source_write_the_copy_and_use_each_key_for_one_thing() -> None:
    statements = replication_role_policy("state", "state-eu-central-1", SOURCE_KEY, REPLICA_KEY)["Statement"]
    by_action = {action: s["Resource"] for s in statements for action in s["Action"]}
    assert by_action["kms:Decrypt"] == SOURCE_KEY
    assert by_action["kms:Encrypt"] == REPLICA_KEY
    assert by_action["s3:ReplicateObject"] == "arn:aws:s3:::state-eu-central-1/*"
    assert by_action["s3:GetObjectVersionForReplication"] == "arn:aws:s3:::state/*"
    assert replica_bucket("state", "eu-central-1") == "state-eu-central-1"
