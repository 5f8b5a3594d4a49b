"""`python -m synth.targets FILE TYPE`: the URNs of one resource type in synth's resources.json.

Synth records URNs exactly as the engine forms them, so these feed `pulumi up --target/--replace`
(the scheduled Tailscale key rotation uses it).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def urns(resources_json: Path, resource_type: str) -> list[str]:
    return [r["urn"] for r in json.loads(resources_json.read_text()) if r["type"] == resource_type]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m synth.targets", description="print the URNs of one resource type in synth's resources.json"
    )
    parser.add_argument("resources_json", type=Path, metavar="FILE", help="build/<stack>/resources.json")
    parser.add_argument("resource_type", metavar="TYPE", help="e.g. tailscale:index/tailnetKey:TailnetKey")
    args = parser.parse_args(argv)  # usage errors exit 2
    try:
        found = urns(args.resources_json, args.resource_type)
    except (OSError, ValueError) as exc:
        print(f"error: {args.resources_json}: {exc}", file=sys.stderr)
        return 2
    print("\n".join(found))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
