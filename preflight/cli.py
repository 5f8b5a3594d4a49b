"""`python -m preflight --stack REGION | --all [--topology PATH] [--egress-ip ADDR | --lookup-egress-ip]` and
`python -m preflight bootstrap-state --bucket NAME --region REGION`.

Exit 1 on any FAIL, 2 on an invalid topology or usage, 3 on an internal error, 0 otherwise.
"""

from __future__ import annotations

import argparse
import ipaddress
import sys
from pathlib import Path

from botocore.exceptions import BotoCoreError, ClientError

from inferadb.model.topology import TopologyError, load_topology
from inferadb.progress import clear, status
from preflight.api_access import LOOKUP_URL, lookup_egress_ip
from preflight.aws import DEFAULT_TIMEOUT_SECONDS
from preflight.image_revision import revision_check
from preflight.registry import image_exists, pinned_images
from preflight.run import check_region
from preflight.state_backend import bootstrap_state

PROJECT_DIR = Path(__file__).resolve().parent.parent


def main(argv: list[str]) -> int:
    if argv[:1] == ["bootstrap-state"]:
        return _bootstrap(argv[1:])
    parser = argparse.ArgumentParser(
        prog="python -m preflight",
        description="checks of the AWS account and the topology before pulumi up (PASS / WARN / FAIL per check)",
        epilog=(
            "other command: python -m preflight bootstrap-state --bucket NAME --region REGION "
            "creates the state bucket and the secrets key the stacks use (see its --help); "
            "exit codes: 0 all well, 1 a FAIL, 2 bad input, 3 a bug"
        ),
    )
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--stack", action="append", metavar="REGION")
    which.add_argument("--all", action="store_true")
    parser.add_argument("--topology", type=Path, default=PROJECT_DIR / "topology.yaml")
    parser.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT_SECONDS,
        help=f"seconds to connect and to read each AWS answer (default {DEFAULT_TIMEOUT_SECONDS:g}; two attempts)",
    )
    egress = parser.add_mutually_exclusive_group()
    egress.add_argument("--egress-ip", metavar="ADDR", help="this machine's public IPv4 address, to check API access")
    egress.add_argument(
        "--lookup-egress-ip",
        action="store_true",
        help=f"ask {LOOKUP_URL} for it (the only non-AWS call preflight makes)",
    )
    parser.add_argument(
        "--no-registry-check", action="store_true", help="do not ask the image registries whether the pinned tags exist"
    )
    args = parser.parse_args(argv)
    try:
        egress_ip = _egress_ip(args)
    except ValueError as exc:
        print(f"error: --egress-ip: {exc}", file=sys.stderr)
        return 2
    try:
        topology = load_topology(args.topology)
    except TopologyError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    stacks = [r.id for r in topology.ordered_regions()] if args.all else args.stack
    unknown = [s for s in stacks if s not in topology.regions]
    if unknown:
        print(f"error: --stack {', '.join(unknown)}: no such region in {args.topology}", file=sys.stderr)
        return 2
    failures = 0
    if not args.no_registry_check:
        print("== images")
        for reference in pinned_images(topology.images.model_dump()):
            status(f"checking {reference} ...")
            result = image_exists(reference, args.timeout)
            clear()
            print(result.line())
            failures += result.status == "FAIL"
        for index, declared in enumerate(topology.images.declared):
            if declared not in topology.images.declared_in_use():
                continue
            reference = getattr(topology.images, declared.component)
            status(f"reading the revision label of {reference} ...")
            result = revision_check(reference, declared.commit, f"images.declared.{index}.commit", args.timeout)
            clear()
            print(result.line())
            failures += result.status == "FAIL"
    for stack in stacks:
        print(f"== {stack}")
        results = check_region(topology, stack, PROJECT_DIR, args.timeout, egress_ip)
        clear()
        for result in results:
            print(result.line())
            failures += result.status == "FAIL"
    print(f"preflight: {failures} failure(s)")
    return 1 if failures else 0


def _egress_ip(args: argparse.Namespace) -> str | None:
    if args.egress_ip is not None:
        return str(ipaddress.IPv4Address(args.egress_ip))
    if not args.lookup_egress_ip:
        return None
    try:
        return lookup_egress_ip(args.timeout)
    except (OSError, ValueError) as exc:
        print(f"WARN api-access: could not look up the egress address ({exc}); checking without it", file=sys.stderr)
        return None


def _bootstrap(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m preflight bootstrap-state",
        description="create (idempotently) the S3 state bucket and the KMS secrets key Pulumi's stacks use",
    )
    parser.add_argument("--bucket", required=True)
    parser.add_argument("--region", required=True)
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT_SECONDS, help="seconds per AWS call")
    args = parser.parse_args(argv)
    try:
        changes, login, secrets = bootstrap_state(args.bucket, args.region, args.timeout)
    except (ClientError, BotoCoreError) as exc:
        # What was created before the failure stays; a second run picks up from there (it is idempotent).
        print(f"FAIL bootstrap-state: {type(exc).__name__}: {exc}")
        return 1
    for change in changes:
        print(f"changed: {change}")
    if not changes:
        print("nothing to change: the state backend is already in place")
    print(f"pulumi login '{login}'")
    print(f"pulumi stack init <region> --secrets-provider='{secrets}'")
    return 0
