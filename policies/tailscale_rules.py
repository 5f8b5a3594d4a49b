"""Tailscale rules on the policy file and the auth keys."""

from __future__ import annotations

import json
from typing import Any

from pulumi_policy import ResourceValidationArgs

from policies.support import Report, rule

ACL = "tailscale:index/acl:Acl"
KEY = "tailscale:index/tailnetKey:TailnetKey"
MAX_EXPIRY = 90 * 86400


def acl_document(props: dict[str, Any]) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(props.get("acl") or "{}")
    return document


def no_wildcards(args: ResourceValidationArgs, report: Report) -> None:
    if args.resource_type == ACL:
        document = acl_document(dict(args.props))
        for entry in [*document.get("acls", []), *document.get("grants", [])]:
            for destination in entry.get("dst", []):
                if destination.split(":")[0] == "*":
                    report(f"rule {entry.get('src')} -> {destination} allows any destination", None)
            if "*" in entry.get("src", []):
                report(f"rule from '*' to {entry.get('dst')} allows any source", None)
            if "*" in entry.get("ip", []):
                report(f"grant {entry.get('src')} -> {entry.get('dst')} allows every port and protocol", None)


def tests_present(args: ResourceValidationArgs, report: Report) -> None:
    if args.resource_type == ACL:
        tests = acl_document(dict(args.props)).get("tests") or []
        if not any(t.get("accept") for t in tests) or not any(t.get("deny") for t in tests):
            report("the policy file has no tests with both accepted and denied paths", None)


def key_shape(args: ResourceValidationArgs, report: Report) -> None:
    if args.resource_type == KEY:
        props = args.props
        if not props.get("tags"):
            report("auth key carries no tags (its nodes would belong to a user)", None)
        if props.get("preauthorized") is not True:
            report("auth key is not preauthorized", None)
        expiry = props.get("expiry")
        if expiry is None or int(expiry) > MAX_EXPIRY:
            report("auth key has no explicit expiry of at most 90 days", None)
        if not props.get("recreateIfInvalid"):
            report("auth key does not say whether to recreate it when it expires", None)


POLICIES = [
    rule(
        "ts-acl-no-wildcards",
        "The tailnet policy allows no '*' sources or destinations",
        "Name tags and ports explicitly.",
        no_wildcards,
    ),
    rule(
        "ts-acl-tests-present",
        "The tailnet policy carries tests that accept and deny paths",
        "Add a `tests` section (tailnet_acl.py).",
        tests_present,
    ),
    rule(
        "ts-authkey-shape",
        "Auth keys are tagged, preauthorized, with an explicit expiry",
        "tags=[...], preauthorized=True, expiry <= 90 days, recreate_if_invalid set.",
        key_shape,
    ),
]
