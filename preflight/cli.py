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

from inferadb.model.topology import Topology, TopologyError, load_topology
from inferadb.progress import clear, status
from preflight.api_access import LOOKUP_URL, lookup_egress_ip
from preflight.aws import DEFAULT_TIMEOUT_SECONDS
from preflight.image_revision import revision_check
from preflight.registry import image_exists, pinned_images
from preflight.results import Result
from preflight.run import check_region
from preflight.state_backend import bootstrap_state
from preflight.state_check import state_results

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
    parser.add_argument(
        "--state-bucket",
        metavar="NAME",
        help="the Pulumi state bucket: check that it and the secrets key survive the primary's region",
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
        failures += _shown(_image_results(topology, args.timeout))
    print("== state backend")
    if args.state_bucket:
        failures += _shown(state_results(args.state_bucket, [r.id for r in topology.ordered_regions()], args.timeout))
    else:
        print("WARN state-backend: not checked; pass --state-bucket to check its replica and the key's")
    for stack in stacks:
        print(f"== {stack}")
        results = check_region(topology, stack, PROJECT_DIR, args.timeout, egress_ip)
        clear()
        for result in results:
            print(result.line())
            failures += result.status == "FAIL"
    print(f"preflight: {failures} failure(s)")
    return 1 if failures else 0


def _shown(results: list[Result]) -> int:
    """Print each result; the number of failures."""
    for result in results:
        print(result.line())
    return sum(r.status == "FAIL" for r in results)


def _image_results(topology: Topology, timeout: float) -> list[Result]:
    results = []
    for reference in pinned_images(topology.images.model_dump()):
        status(f"checking {reference} ...")
        results.append(image_exists(reference, timeout))
        clear()
    in_use = topology.images.declared_in_use()
    for index, declared in enumerate(topology.images.declared):
        if declared in in_use:
            reference = getattr(topology.images, declared.component)
            status(f"reading the revision label of {reference} ...")
            results.append(revision_check(reference, declared.commit, f"images.declared.{index}.commit", timeout))
            clear()
    return results


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
    parser.add_argument(
        "--topology",
        type=Path,
        default=PROJECT_DIR / "topology.yaml",
        help="its other regions get a replica of the secrets key; the next one in priority order gets the state's copy",
    )
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT_SECONDS, help="seconds per AWS call")
    args = parser.parse_args(argv)
    try:
        topology = load_topology(args.topology)
    except TopologyError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    others = tuple(r.id for r in topology.ordered_regions() if r.id != args.region)
    try:
        backend = bootstrap_state(args.bucket, args.region, args.timeout, others, others[0] if others else None)
    except (ClientError, BotoCoreError) as exc:
        # What was created before the failure stays; a second run picks up from there (it is idempotent).
        print(f"FAIL bootstrap-state: {type(exc).__name__}: {exc}")
        return 1
    for change in backend.changes:
        print(f"changed: {change}")
    if not backend.changes:
        print("nothing to change: the state backend is already in place")
    print(f"pulumi login '{backend.login}'")
    print(f"pulumi stack init <region> --secrets-provider='{backend.secrets}'")
    if backend.dr_login:
        print(f"with the primary's region down (docs/failover.md): pulumi login '{backend.dr_login}'")
        print(f"  and its secrets provider: '{backend.dr_secrets}'")
    return 0
