"""`monitoring.mode: existing`: does the cluster already have the Prometheus operator's CRDs?

The ServiceMonitors and the PrometheusRule fail to apply without them ("no matches for kind"). This
asks the cluster's API the way `aws eks get-token` authenticates: a presigned STS GetCallerIdentity
URL carrying the `x-k8s-aws-id` header, base64url-encoded behind `k8s-aws-v1.` (the token format
of aws-iam-authenticator). A cluster that does not exist yet cannot have them: that is a FAIL, since
a first deploy needs `install` or `none`.
"""

from __future__ import annotations

import base64
import json
import ssl
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any

import boto3
from botocore.exceptions import BotoCoreError, ClientError
from botocore.signers import RequestSigner

from preflight.results import Result, failed, passed, warned

CHECK = "monitoring-crds"
CRDS = ("servicemonitors.monitoring.coreos.com", "prometheusrules.monitoring.coreos.com")
Get = Callable[[str, str, str, float], int]
"""(url, bearer token, CA bundle PEM, timeout) -> HTTP status."""


def cluster_token(session: boto3.session.Session, cluster: str) -> str:
    sts = session.client("sts")
    region = session.region_name
    signer = RequestSigner(
        sts.meta.service_model.service_id, region, "sts", "v4", session.get_credentials(), session.events
    )
    request = {
        "method": "GET",
        "url": f"https://sts.{region}.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15",
        "body": {},
        "headers": {"x-k8s-aws-id": cluster},
        "context": {},
    }
    url = signer.generate_presigned_url(request, region_name=region, expires_in=60, operation_name="")
    return "k8s-aws-v1." + base64.urlsafe_b64encode(url.encode()).decode().rstrip("=")


def https_get(url: str, token: str, ca_pem: str, timeout: float) -> int:
    context = ssl.create_default_context(cadata=ca_pem)
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})  # noqa: S310 (https)
    try:
        with urllib.request.urlopen(request, timeout=timeout, context=context) as answer:  # noqa: S310
            json.loads(answer.read(1 << 20))
            return int(answer.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


def monitoring_crds(
    eks: Any, session: boto3.session.Session, cluster: str, timeout: float, get: Get = https_get
) -> list[Result]:
    try:
        described = eks.describe_cluster(name=cluster)["cluster"]
    except ClientError as exc:
        if exc.response["Error"]["Code"] == "ResourceNotFoundException":
            return [
                failed(
                    CHECK,
                    f"cluster {cluster} does not exist yet, so it has no Prometheus operator: monitoring.mode "
                    f"existing is for clusters that already run one; use install or none for a first deploy",
                )
            ]
        return [warned(CHECK, f"could not describe {cluster} ({exc}); CRDs not verified")]
    except BotoCoreError as exc:
        return [warned(CHECK, f"could not describe {cluster} ({exc}); CRDs not verified")]
    endpoint = described.get("endpoint")
    ca = base64.b64decode(described.get("certificateAuthority", {}).get("data", "")).decode("utf-8", "replace")
    if not endpoint or not ca:
        return [warned(CHECK, f"{cluster} reports no API endpoint yet; CRDs not verified")]
    try:
        token = cluster_token(session, cluster)
        statuses = {
            crd: get(f"{endpoint}/apis/apiextensions.k8s.io/v1/customresourcedefinitions/{crd}", token, ca, timeout)
            for crd in CRDS
        }
    except (OSError, ValueError, BotoCoreError) as exc:
        return [warned(CHECK, f"could not reach {cluster}'s API from here ({exc}); CRDs not verified")]
    missing = [crd for crd, status in statuses.items() if status == 404]
    if missing:
        return [
            failed(CHECK, f"{cluster} lacks {', '.join(missing)}: install the Prometheus operator or use mode install")
        ]
    if any(status != 200 for status in statuses.values()):
        return [warned(CHECK, f"{cluster}'s API answered {sorted(set(statuses.values()))}; CRDs not verified")]
    return [passed(CHECK, f"{cluster} has the Prometheus operator's CRDs")]
