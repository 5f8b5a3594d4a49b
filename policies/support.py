"""Reading resource properties the way policies see them (camelCase inputs)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from pulumi_policy import EnforcementLevel, ReportViolation, ResourceValidationArgs, ResourceValidationPolicy

from inferadb.facts import names

WORKLOAD_TYPES = {
    "kubernetes:apps/v1:Deployment",
    "kubernetes:apps/v1:StatefulSet",
    "kubernetes:apps/v1:DaemonSet",
    "kubernetes:batch/v1:Job",
}
# Namespaces whose pods may be privileged by design (hostPath disk discovery); see README.
PRIVILEGED_NAMESPACES = {"local-storage", "kube-system"}
LEDGER = names.LEDGER
SECURITY_GROUP_INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"


def rule(
    name: str, description: str, remediation: str, validate: Any, level: EnforcementLevel = EnforcementLevel.MANDATORY
) -> ResourceValidationPolicy:
    return ResourceValidationPolicy(
        name=name, description=description, validate=validate, enforcement_level=level, remediation_steps=remediation
    )


def name_of(props: dict[str, Any]) -> str:
    return str((props.get("metadata") or {}).get("name", ""))


def namespace_of(props: dict[str, Any]) -> str:
    return str((props.get("metadata") or {}).get("namespace", ""))


def pod_spec(args: ResourceValidationArgs) -> dict[str, Any] | None:
    if args.resource_type not in WORKLOAD_TYPES:
        return None
    spec: dict[str, Any] = ((args.props.get("spec") or {}).get("template") or {}).get("spec") or {}
    return spec


def containers(pod: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield from pod.get("initContainers") or []
    yield from pod.get("containers") or []


def is_ledger(args: ResourceValidationArgs) -> bool:
    return args.resource_type == "kubernetes:apps/v1:StatefulSet" and name_of(dict(args.props)) == LEDGER


def restricted_workload(args: ResourceValidationArgs) -> dict[str, Any] | None:
    """The pod spec of a workload held to Pod Security `restricted`, or None."""
    pod = pod_spec(args)
    if pod is None or namespace_of(dict(args.props)) in PRIVILEGED_NAMESPACES:
        return None
    return pod


Report = ReportViolation


def provider_tag(provider_props: dict[str, Any], key: str) -> str | None:
    """A default tag of an AWS provider, from its recorded inputs (JSON-encoded when not strings)."""
    default_tags = provider_props.get("defaultTags") or {}
    if isinstance(default_tags, str):
        default_tags = json.loads(default_tags)
    value = (default_tags.get("tags") or {}).get(key)
    return str(value) if value else None
