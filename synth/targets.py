"""`python -m synth.targets FILE TYPE`: the URNs of one resource type in synth's resources.json.

Synth records URNs exactly as the engine forms them, so these feed `pulumi up --target/--replace`
(the scheduled Tailscale key rotation uses it).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def urns(resources_json: Path, resource_type: str) -> list[str]:
    return [r["urn"] for r in json.loads(resources_json.read_text()) if r["type"] == resource_type]


if __name__ == "__main__":
    print("\n".join(urns(Path(sys.argv[1]), sys.argv[2])))
