"""`python -m synth.summary [DIR]`: a Markdown summary of an offline plan (for CI job summaries)."""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path


def summarize(out_dir: Path) -> str:
    lines = [
        "## Offline plan",
        "",
        "| stack | resources | Kubernetes objects | mandatory | advisory |",
        "|---|---:|---:|---:|---:|",
    ]
    for stack in sorted(p for p in out_dir.iterdir() if (p / "resources.json").exists()):
        resources = json.loads((stack / "resources.json").read_text())
        levels = Counter(v["level"] for v in json.loads((stack / "policy.json").read_text()))
        kubernetes = sum(r["type"].startswith("kubernetes:") for r in resources)
        lines.append(
            f"| {stack.name} | {len(resources)} | {kubernetes} | {levels['mandatory']} | {levels['advisory']} |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(summarize(Path(sys.argv[1] if len(sys.argv) > 1 else "build")))
