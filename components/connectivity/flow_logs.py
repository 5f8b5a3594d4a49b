"""VPC flow logs to CloudWatch (CIS: every VPC records its traffic), with their writer role."""

from __future__ import annotations

import json

import pulumi
import pulumi_aws as aws

from components.shared.iam import service_trust
from components.shared.tags import named


def vpc_flow_logs(
    name: str,
    vpc_id: pulumi.Input[str],
    cluster_name: str,
    retention_days: int,
    key_arn: pulumi.Input[str],
    tags: dict[str, str],
    opts: pulumi.ResourceOptions,
) -> aws.ec2.FlowLog:
    log_group = aws.cloudwatch.LogGroup(
        f"{name}-flow-logs",
        name=f"/inferadb/{cluster_name}/vpc-flow-logs",
        retention_in_days=retention_days,
        kms_key_id=key_arn,
        tags=named(tags, f"{name}-flow-logs"),
        opts=opts,
    )
    role = aws.iam.Role(
        f"{name}-flow-logs-role",
        assume_role_policy=service_trust("vpc-flow-logs.amazonaws.com"),
        tags=named(tags, f"{name}-flow-logs"),
        opts=opts,
    )
    aws.iam.RolePolicy(
        f"{name}-flow-logs-write",
        role=role.id,
        opts=opts,
        policy=log_group.arn.apply(
            lambda arn: json.dumps(
                {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Resource": [arn, f"{arn}:*"],
                            "Action": ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                        }
                    ],
                }
            )
        ),
    )
    return aws.ec2.FlowLog(
        f"{name}-flow-log",
        vpc_id=vpc_id,
        traffic_type="ALL",
        log_destination_type="cloud-watch-logs",
        log_destination=log_group.arn,
        iam_role_arn=role.arn,
        tags=named(tags, f"{name}-flow-log"),
        opts=opts,
    )
