"""`python -m deploy.verify [--topology PATH]`: proof a deployed estate works, one line per check.

Per region: the Kubernetes API answers; every Ledger node of every region is a voter (by node id,
as the bootstrap Job checks) and there is one leader; Control's pods are ready (or it is held, and
why); the cross-region routes are active; every running router reported its boot. There is no
leader path to check (docs/adr/0005). Exit 1 on any FAIL, 2 on bad input or a missing tool, 0
otherwise.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from deploy.checks import Line, Probe, verify_region
from inferadb.facts.exit_codes import BAD_INPUT, FINDING, OK
from inferadb.model.topology import Topology, TopologyError, load_topology

PROJECT_DIR = Path(__file__).resolve().parent.parent


def verify(topology: Topology, probe: Probe) -> list[Line]:
    regions = [r.id for r in topology.ordered_regions()]
    every_node: dict[str, int | None] = {}
    for region in regions:
        every_node.update(probe.node_ids(region))
    return [line for region in regions for line in verify_region(region, probe, every_node)]


def report(lines: list[Line]) -> int:
    for line in lines:
        print(line.text(), flush=True)
    failures = sum(line.status == "FAIL" for line in lines)
    print(f"verify: {failures} failure(s)")
    return FINDING if failures else OK


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m deploy.verify", description=__doc__.split("\n\n")[0])
    parser.add_argument("--topology", type=Path, default=PROJECT_DIR / "topology.yaml")
    args = parser.parse_args(argv)
    try:
        topology = load_topology(args.topology)
    except TopologyError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return BAD_INPUT
    missing = [tool for tool in ("kubectl", "aws") if shutil.which(tool) is None]
    if missing:
        print(f"error: verify needs {' and '.join(missing)} on the PATH (kubectl; AWS CLI v2)", file=sys.stderr)
        return BAD_INPUT
    from deploy.engine import AutomationEngine, NoPulumiCliError
    from deploy.probe import LiveProbe

    try:
        engine = AutomationEngine(PROJECT_DIR, PROJECT_DIR / "policies")
    except NoPulumiCliError:
        print("error: verify reads the stacks' outputs with the Pulumi CLI, which is not on the PATH", file=sys.stderr)
        return BAD_INPUT
    regions = [r.id for r in topology.ordered_regions()]
    outputs = {region: engine.outputs(region) for region in regions}
    replicas = {r.id: topology.ledger_replicas(r) for r in topology.ordered_regions()}
    with LiveProbe(outputs, replicas) as probe:
        return report(verify(topology, probe))


if __name__ == "__main__":
    from inferadb.facts.exit_codes import guarded

    sys.exit(guarded(main, sys.argv[1:]))
