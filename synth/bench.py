"""`python -m synth.bench [RUNS]`: time the offline evaluation of every stack and count resources.

Prints numbers only; nothing here asserts on time (timings depend on the machine).
"""

from __future__ import annotations

import statistics
import sys
import time
from collections import defaultdict

from synth.cli import PROJECT_DIR, run_stack
from synth.stackconfig import load_stack_config, project_name
from topology import load_topology


def main(argv: list[str]) -> int:
    runs = int(argv[0]) if argv else 3
    topology = load_topology(PROJECT_DIR / "topology.yaml")
    project = project_name(PROJECT_DIR)
    seconds: dict[str, list[float]] = defaultdict(list)
    wall: dict[str, list[float]] = defaultdict(list)
    counts: dict[str, int] = {}
    for _ in range(runs):
        outputs: dict[str, dict[str, object]] = {}
        for region in topology.ordered_regions():
            config, secret_keys = load_stack_config(PROJECT_DIR, project, region.id)
            started = time.perf_counter()
            result = run_stack(region.id, project, config, secret_keys, outputs)
            wall[region.id].append(time.perf_counter() - started)
            if result["status"] != "ok":
                print(f"{region.id}: {result['status']}: {result['message']}", file=sys.stderr)
                return 2
            seconds[region.id].append(result["seconds"])
            counts[region.id] = len(result["resources"])
            outputs[region.id] = {"outputs": result["exports"], "secret_outputs": result["secret_exports"]}
    print(f"{'stack':<16}{'resources':>10}{'program s':>12}{'process s':>12}   (median of {runs} runs)")
    for stack, values in seconds.items():
        print(
            f"{stack:<16}{counts[stack]:>10}{statistics.median(values):>12.3f}{statistics.median(wall[stack]):>12.3f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
