"""`python -m synth --bench`: how fast the offline engine is, on the shipped topology and on
generated topologies of 2, 4 and 8 regions. One JSON line per case; nothing here asserts on time.
"""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

from inferadb.model.topology import load_topology
from inferadb.progress import Progress
from inferadb.stack.files import load_stack_config, project_name
from synth.runner import PROJECT_DIR, run_stack
from synth.wire import SECRET_MARKER

BENCH_REGIONS = [
    "us-west-1",
    "eu-central-1",
    "us-east-2",
    "eu-west-1",
    "ap-northeast-1",
    "us-west-2",
    "eu-north-1",
    "ap-southeast-2",
]


def generated_topology(regions: int) -> dict[str, Any]:
    """The shipped topology's settings over `regions` regions (primary first, the rest DR)."""
    shipped: dict[str, Any] = yaml.safe_load((PROJECT_DIR / "topology.yaml").read_text())
    template = shipped["regions"]["us-west-1"]
    shipped["regions"] = {
        region: {
            **template,
            "priority": i + 1,
            "role": "primary" if i == 0 else "dr",
            "vpc_cidr": f"10.{10 * (i + 1)}.0.0/16",
            "availability_zones": 2,
            "ledger_jurisdiction": "global",
        }
        for i, region in enumerate(BENCH_REGIONS[:regions])
    }
    shipped["failover"] = "manual"
    return shipped


def measure(topology_path: Path, case: str = "bench") -> dict[str, Any]:
    topology = load_topology(topology_path)
    progress = Progress(len(topology.regions), case)
    project = project_name(PROJECT_DIR)
    outputs: dict[str, dict[str, Any]] = {}
    resources, peak, started = 0, 0.0, time.perf_counter()
    for region in topology.ordered_regions():
        progress.step(region.id)
        config, secret_keys = load_stack_config(PROJECT_DIR, project, region.id, SECRET_MARKER)
        config = {**config, f"{project}:topology": str(topology_path)}
        result = run_stack(region.id, project, config, secret_keys, outputs)
        if result["status"] != "ok":
            raise RuntimeError(f"{region.id}: {result['message']}")
        outputs[region.id] = {"outputs": result["exports"], "secret_outputs": result["secret_exports"]}
        resources += len(result["resources"])
        peak = max(peak, result.get("peak_rss_mb", 0.0))
    elapsed = time.perf_counter() - started
    progress.finish()
    stacks = len(topology.regions)
    return {
        "regions": stacks,
        "stacks": stacks,
        "resources": resources,
        "seconds_per_stack": round(elapsed / stacks, 3),
        "ms_per_resource": round(1000 * elapsed / resources, 2),
        "peak_rss_mb": round(peak, 1),
    }


def main() -> int:
    cases = [("shipped", PROJECT_DIR / "topology.yaml")]
    with tempfile.TemporaryDirectory(prefix="synth-bench-") as scratch:
        for regions in (2, 4, 8):
            path = Path(scratch, f"regions-{regions}.yaml")
            path.write_text(yaml.safe_dump(generated_topology(regions)))
            cases.append((f"generated-{regions}", path))
        for name, path in cases:
            print(json.dumps({"case": name, **measure(path, name)}), flush=True)
    return 0
