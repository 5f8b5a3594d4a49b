"""`python -m synth.stacks [--json] [TOPOLOGY]`: the stacks of a topology in deploy (priority) order.

The workflows deploy, preview and rotate stack by stack in this order; one command keeps them from
each parsing the topology their own way. Exit 2 (and the reason on stderr) on an invalid topology.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from inferadb.model.topology import TopologyError, load_topology


def stacks_in_order(topology_path: Path) -> list[str]:
    return [region.id for region in load_topology(topology_path).ordered_regions()]


def main(argv: list[str]) -> int:
    as_json = "--json" in argv
    paths = [a for a in argv if a != "--json"]
    try:
        stacks = stacks_in_order(Path(paths[0] if paths else "topology.yaml"))
    except TopologyError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(stacks) if as_json else " ".join(stacks))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
