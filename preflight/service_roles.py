"""The account-wide service-linked role the node-volume KMS key policy names.

The Ledger and general node groups encrypt their root volumes with a key whose policy grants
`AWSServiceRoleForAutoScaling` (managed node groups launch instances through EC2 Auto Scaling). In
an account that never used Auto Scaling the role does not exist yet, and KMS refuses a policy naming
a principal that does not exist (terraform-aws-eks #3013). `bootstrap-state` creates it, and the
regular preflight checks it is there.
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from preflight.results import Result, failed, passed, warned

AUTOSCALING_ROLE = "AWSServiceRoleForAutoScaling"
AUTOSCALING_SERVICE = "autoscaling.amazonaws.com"


def ensure_autoscaling_role(iam: Any, changes: list[str]) -> None:
    """Create the role unless it exists (a race with another creator is not an error)."""
    if _exists(iam):
        return
    try:
        iam.create_service_linked_role(AWSServiceName=AUTOSCALING_SERVICE)
    except ClientError as exc:
        if exc.response["Error"]["Code"] not in ("InvalidInput", "EntityAlreadyExists") or not _exists(iam):
            raise
        return
    changes.append(f"created the service-linked role {AUTOSCALING_ROLE}")


def autoscaling_role(iam: Any) -> list[Result]:
    try:
        present = _exists(iam)
    except (ClientError, BotoCoreError) as exc:
        return [warned("service-role", f"could not read {AUTOSCALING_ROLE} ({exc}); not verified")]
    if present:
        return [passed("service-role", f"{AUTOSCALING_ROLE} exists (the node-volume key policy names it)")]
    return [
        failed(
            "service-role",
            f"{AUTOSCALING_ROLE} does not exist yet, so the node-volume KMS key would fail to create; run "
            f"`python -m preflight bootstrap-state` (it creates the role) or `aws iam create-service-linked-role "
            f"--aws-service-name {AUTOSCALING_SERVICE}`",
        )
    ]


def _exists(iam: Any) -> bool:
    try:
        iam.get_role(RoleName=AUTOSCALING_ROLE)
    except ClientError as exc:
        if exc.response["Error"]["Code"] == "NoSuchEntity":
            return False
        raise
    return True
