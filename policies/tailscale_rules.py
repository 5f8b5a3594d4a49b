"""Tailscale rules on the policy file and the auth keys."""

from __future__ import annotations

import json
from typing import Any

from pulumi_policy import ResourceValidationArgs

from policies.support import Report, rule

ACL = "tailscale:index/acl:Acl"
KEY = "tailscale:index/tailnetKey:TailnetKey"
INSTANCE = "aws:ec2/instance:Instance"
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


ROUTER_FLAGS = ("--snat-subnet-routes=false", "--auth-key=file:")


def router_hardening(args: ResourceValidationArgs, report: Report) -> None:
    """An instance that forwards (source/destination check off) is a subnet router: IMDSv2 only, no
    SSH key, an encrypted root volume, and a boot that keeps source addresses and never carries the
    auth key in its user data."""
    if args.resource_type != INSTANCE or args.props.get("sourceDestCheck") is not False:
        return
    props = args.props
    if (props.get("metadataOptions") or {}).get("httpTokens") != "required":
        report("the router does not require IMDSv2 (metadataOptions.httpTokens=required)", None)
    if props.get("keyName"):
        report("the router carries an SSH key pair; it is configured at boot and replaced, not logged into", None)
    if (props.get("rootBlockDevice") or {}).get("encrypted") is not True:
        report("the router's root volume is not encrypted", None)
    boot = str(props.get("userData") or "")
    for flag in ROUTER_FLAGS:
        if flag not in boot:
            report(f"the router's boot script lacks {flag}", None)
    if "tskey-" in boot:
        report("the router's user data holds an auth key in clear", None)


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
    rule(
        "ts-router-hardening",
        "Subnet routers: IMDSv2, no SSH key, encrypted root, source addresses kept, no key in user data",
        "Build routers with components/connectivity/tailscale_router.py (boot script: inferadb/plan/router_boot.py).",
        router_hardening,
    ),
]
