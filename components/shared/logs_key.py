"""The KMS key a region's CloudWatch log groups (control plane, VPC flow logs) are encrypted with.

CloudWatch Logs may use a customer-managed key only when the key policy lets the regional service
principal `logs.<region>.amazonaws.com` use it, limited by the `kms:EncryptionContext:aws:logs:arn`
condition to this account's log groups in this region (CloudWatch Logs user guide, "Encrypt log
data in CloudWatch Logs using AWS Key Management Service", step 2).
"""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

from components.shared.iam import key_policy
from components.shared.protection import guarded
from components.shared.tags import named


def logs_key(
    name: str, region: str, tags: dict[str, str], opts: pulumi.ResourceOptions, keep: bool = True
) -> aws.kms.Key:
    account = aws.get_caller_identity_output(opts=pulumi.InvokeOutputOptions(parent=opts.parent)).account_id

    def policy(acct: str) -> str:
        return key_policy(
            acct,
            {
                "Sid": "CloudWatchLogsUseKey",
                "Effect": "Allow",
                "Principal": {"Service": f"logs.{region}.amazonaws.com"},
                "Action": ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
                "Resource": "*",
                "Condition": {
                    "ArnLike": {"kms:EncryptionContext:aws:logs:arn": f"arn:aws:logs:{region}:{acct}:log-group:*"}
                },
            },
        )

    return aws.kms.Key(
        f"{name}-logs-key",
        description=f"CloudWatch Logs encryption for {name}",
        enable_key_rotation=True,
        deletion_window_in_days=30,
        policy=account.apply(policy),
        tags=named(tags, f"{name}-logs"),
        opts=pulumi.ResourceOptions.merge(opts, guarded(keep)),
    )
