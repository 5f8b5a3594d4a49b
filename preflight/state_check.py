"""Can the stacks be updated with the primary's region down? The secrets key's replicas and the
state bucket's replication, as bootstrap-state leaves them (preflight/state_replicas.py)."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from preflight.aws import client_config, session
from preflight.results import Result, failed, passed, warned
from preflight.state_backend import ALIAS
from preflight.state_replicas import replica_bucket

CHECK = "state-backend"


def state_results(bucket: str, regions: list[str], timeout: float) -> list[Result]:
    """`regions` in priority order: the first holds the state, the second its copy."""
    try:
        return [_key(regions, timeout), *(_bucket(bucket, regions, timeout) if len(regions) > 1 else [])]
    except (ClientError, BotoCoreError) as exc:
        return [warned(CHECK, f"could not read the state backend ({type(exc).__name__}: {exc})")]


def _key_in(region: str, timeout: float) -> tuple[str | None, dict[str, Any] | None]:
    kms = session(region).client("kms", config=client_config(timeout))
    target = next((a.get("TargetKeyId") for a in kms.list_aliases()["Aliases"] if a["AliasName"] == ALIAS), None)
    return target, (kms.describe_key(KeyId=target)["KeyMetadata"] if target else None)


def _key(regions: list[str], timeout: float) -> Result:
    primary, *others = regions
    key_id, metadata = _key_in(primary, timeout)
    if metadata is None:
        return failed(CHECK, f"{ALIAS} does not exist in {primary}: run `python -m preflight bootstrap-state`")
    if not metadata.get("MultiRegion"):
        return failed(
            CHECK, f"{ALIAS} in {primary} is a single-Region key: no stack can decrypt its secrets without {primary}"
        )
    missing = [r for r in others if _key_in(r, timeout)[0] != key_id]
    if missing:
        return failed(CHECK, f"{ALIAS} has no replica of {key_id} in {', '.join(missing)}: run bootstrap-state again")
    return passed(CHECK, f"{ALIAS} is the multi-Region key {key_id} in {', '.join(regions)}")


def _bucket(bucket: str, regions: list[str], timeout: float) -> list[Result]:
    primary, dr = regions[0], regions[1]
    s3 = session(primary).client("s3", config=client_config(timeout))
    copy = replica_bucket(bucket, dr)
    try:
        rules = s3.get_bucket_replication(Bucket=bucket)["ReplicationConfiguration"]["Rules"]
    except ClientError:
        rules = []
    enabled = [r for r in rules if r.get("Status") == "Enabled"]
    if not any(r["Destination"]["Bucket"] == f"arn:aws:s3:::{copy}" for r in enabled):
        return [failed(CHECK, f"{bucket} does not replicate to {copy} in {dr}: run bootstrap-state again")]
    dr_s3 = session(dr).client("s3", config=client_config(timeout))
    if dr_s3.get_bucket_versioning(Bucket=copy).get("Status") != "Enabled":
        return [failed(CHECK, f"{copy} has versioning off; replication needs it")]
    return [passed(CHECK, f"{bucket} replicates to {copy} in {dr} (the copy itself is checked by a live verify)")]
