"""The committed guard against accidental replacement: each stack's URN list, and the inputs that
replace a resource holding data or identity when they change.

A URN is a resource's identity in Pulumi's state: a renamed resource, a moved parent or a changed
component type token gives a new URN, and `pulumi up` deletes the old resource and creates a new
one unless the new declaration carries `aliases`. A URN list does not see a replacement caused by an
input the provider cannot update in place, so those inputs are snapshotted too, for the resources
whose replacement loses data or identity (Ledger's volumes and pods, node groups, the routers' boot,
the cluster, the addresses Ledger peers dial, the blinding key).

`make snapshots` (python -m tests.snapshots) rewrites every file after a change that is meant.
"""

from __future__ import annotations

import json
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from synth.replacing import REPLACING
from tests.recorded import plan_of

ROOT = Path(__file__).resolve().parent.parent
SNAPSHOTS = ROOT / "tests" / "snapshots"


def topologies() -> dict[str, Path]:
    """Every topology the repository ships: `shipped` (topology.yaml) and each `examples/<name>`."""
    found = {"shipped": ROOT / "topology.yaml"}
    for example in sorted((ROOT / "examples").glob("*.yaml")):
        found[f"example-{example.stem}"] = example
    return found


def stacks(plan_dir: Path) -> list[str]:
    return sorted(p.name for p in plan_dir.iterdir() if (p / "resources.json").is_file())


def urns(stack_dir: Path) -> list[str]:
    resources: list[dict[str, Any]] = json.loads((stack_dir / "resources.json").read_text())
    return sorted(r["urn"] for r in resources)


def _at(props: dict[str, Any], path: str) -> tuple[bool, Any]:
    value: Any = props
    for part in path.split("."):
        if not isinstance(value, dict) or part not in value:
            return False, None
        value = value[part]
    return True, value


def replacing_inputs(stack_dir: Path) -> dict[str, dict[str, Any]]:
    """URN -> the inputs of REPLACING that the resource sets (unset ones are left out)."""
    resources: list[dict[str, Any]] = json.loads((stack_dir / "resources.json").read_text())
    inputs: dict[str, dict[str, Any]] = {}
    for resource in resources:
        for path in REPLACING.get(resource["type"], ()):
            present, value = _at(resource["props"], path)
            if present:
                # A script reads better as lines: a changed boot step is then one line of the diff.
                lines = value.splitlines() if isinstance(value, str) and "\n" in value else value
                inputs.setdefault(resource["urn"], {})[path] = lines
    return dict(sorted(inputs.items()))


def urn_file(topology: str, stack: str) -> Path:
    return SNAPSHOTS / topology / f"{stack}.urns"


def replacing_file(topology: str, stack: str) -> Path:
    return SNAPSHOTS / topology / f"{stack}.replacing.json"


def render_urns(stack_dir: Path) -> str:
    return "".join(f"{urn}\n" for urn in urns(stack_dir))


def render_replacing(stack_dir: Path) -> str:
    return json.dumps(replacing_inputs(stack_dir), indent=1, sort_keys=True) + "\n"


def _write(cache: Path) -> Iterator[Path]:
    for name, source in topologies().items():
        plan_dir = plan_of(yaml.safe_load(source.read_text()), cache)
        folder = SNAPSHOTS / name
        for old in folder.glob("*"):
            old.unlink()
        folder.mkdir(parents=True, exist_ok=True)
        for stack in stacks(plan_dir):
            urn_file(name, stack).write_text(render_urns(plan_dir / stack))
            replacing_file(name, stack).write_text(render_replacing(plan_dir / stack))
            yield folder / stack


def main() -> int:
    """`make snapshots`: rewrite every snapshot from a fresh evaluation of every shipped topology."""
    with tempfile.TemporaryDirectory() as cache:
        for written in _write(Path(cache)):
            print(f"wrote {written.relative_to(ROOT)}.{{urns,replacing.json}}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
