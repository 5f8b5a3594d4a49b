"""`python -m synth.summary [DIR]`: a Markdown summary of an offline plan (for CI job summaries):
per stack its resources, policy results and monthly estimate, the estate's total, and the changes
against an earlier plan when the plan was made with `--diff`."""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any


def summarize(out_dir: Path) -> str:
    estate = _estate(out_dir)
    monthly = estate.get("monthly_usd", {})
    lines = [
        "## Offline plan",
        "",
        "| stack | resources | Kubernetes objects | mandatory | advisory | monthly (USD, list) |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for stack in sorted(p for p in out_dir.iterdir() if (p / "resources.json").exists()):
        resources = json.loads((stack / "resources.json").read_text())
        levels = Counter(v["level"] for v in json.loads((stack / "policy.json").read_text()))
        kubernetes = sum(r["type"].startswith("kubernetes:") for r in resources)
        cost = _money(monthly.get(stack.name))
        policy = f"{levels['mandatory']} | {levels['advisory']}"
        lines.append(f"| {stack.name} | {len(resources)} | {kubernetes} | {policy} | {cost} |")
    if "estate" in monthly:
        lines.append(f"| **estate** | | | | | **{_money(monthly['estate'])}** |")
    lines += _diff_lines(estate.get("diff"))
    return "\n".join(lines) + "\n"


def _estate(out_dir: Path) -> dict[str, Any]:
    path = out_dir / "summary.json"
    document: dict[str, Any] = json.loads(path.read_text()) if path.exists() else {}
    return document


def _money(value: float | None) -> str:
    return "" if value is None else f"{value:,.2f}"


def _diff_lines(diff: dict[str, Any] | None) -> list[str]:
    if not diff:
        return []
    lines = [
        "",
        f"### Changes against {diff['against']}",
        "",
        "| stack | added | changed | may replace | deleted | monthly delta |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for stack in diff["stacks"]:
        replacing = sum(bool(c["may_replace"]) for c in stack["changed"])
        delta = stack["monthly_usd_delta"]
        shown = f"{delta:+,.2f}" if delta is not None else ("not comparable" if stack.get("unpriced") else "")
        lines.append(
            f"| {stack['stack']} | {len(stack['added'])} | {len(stack['changed'])} | {replacing} | "
            f"{len(stack['deleted'])} | {shown} |"
        )
    lines.append("")
    lines.append(
        '"may replace" comes from a curated list of inputs (synth/replacing.py); `pulumi preview` has the last word.'
    )
    return lines


if __name__ == "__main__":
    print(summarize(Path(sys.argv[1] if len(sys.argv) > 1 else "build")))
