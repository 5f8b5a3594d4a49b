"""`python -m synth`: evaluate stacks offline, write build files, print a summary.

Exit codes: 0 all well; 2 the topology or a stack's config is invalid (nothing is written for any
stack when the topology itself is invalid); 1 reserved for mandatory policy violations; 3 the
program failed for another reason (a bug: the traceback is printed).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

from inferadb.facts.exit_codes import BAD_INPUT, FINDING, INTERNAL, OK
from inferadb.model.topology import Topology, TopologyError, load_topology
from inferadb.progress import Progress
from inferadb.stack.exports import ExportsError, check_exports
from inferadb.stack.files import StackConfigError, load_stack_config, policy_base, project_name
from policies.check import Violation, check_records, summary
from policies.check import to_json as policy_json
from synth.bench import main as bench
from synth.cost import Estimate, estimate
from synth.deploy_time import critical_path
from synth.diagrams import DIAGRAMS_HEADER, topology_markdown
from synth.diff import DiffError, diff_plans
from synth.estate import EstateSummary, StackOutcome, split_warnings
from synth.render import write_stack
from synth.report import stack_summary
from synth.runner import PROJECT_DIR, run_stack
from synth.wire import SECRET_MARKER


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m synth", description=__doc__.splitlines()[0])
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--stack", action="append", metavar="REGION", help="a stack (AWS region id); repeatable")
    which.add_argument("--all", action="store_true", help="every region of the topology, in priority order (default)")
    parser.add_argument("--topology", type=Path, help="topology document (default: topology.yaml)")
    parser.add_argument("--out", type=Path, default=Path("build"), help="output directory (default: build/)")
    parser.add_argument("--bench", action="store_true", help="time the engine on generated topologies (JSON lines)")
    parser.add_argument("--json", action="store_true", help="print only the estate summary, as JSON (summary.json)")
    parser.add_argument(
        "--diff", type=Path, metavar="BUILD_DIR", help="compare with an earlier plan's output directory"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.bench:
        return bench()
    topology_path = (args.topology or PROJECT_DIR / "topology.yaml").resolve()
    try:
        topology = load_topology(topology_path)
        stacks = select_stacks(topology, args.stack)
        project = project_name(PROJECT_DIR)
        configs = {s: load_stack_config(PROJECT_DIR, project, s, SECRET_MARKER) for s in stacks}
        base = policy_base(topology, topology_path)
    except (TopologyError, StackConfigError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return BAD_INPUT
    out_dir = args.out.resolve()
    try:
        # With --all every earlier stack is evaluated in this run: files of an earlier run are not read.
        outputs = {} if args.stack is None else previous_exports(out_dir, earlier_than(topology, stacks))
    except ExportsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return BAD_INPUT
    if args.diff is not None and not args.diff.is_dir():
        print(
            f"error: --diff {args.diff}: no such directory (pass the build directory of an earlier plan)",
            file=sys.stderr,
        )
        return BAD_INPUT
    started = time.perf_counter()
    mandatory = 0
    recorded: dict[str, list[dict[str, Any]]] = {}
    estate = EstateSummary(topology)
    say = _quiet if args.json else print
    progress = Progress(len(stacks), "evaluating")
    for stack in stacks:
        progress.step(stack)
        missing = [
            r.id
            for r in topology.ordered_regions()
            if r.priority < topology.regions[stack].priority and r.id not in outputs
        ]
        if missing:
            print(
                f"error: stack {stack} reads the exports of {', '.join(missing)} (stacks deploy in priority "
                f"order), and {out_dir} has none: run with --all, or evaluate those stacks first",
                file=sys.stderr,
            )
            return BAD_INPUT
        config, secret_keys = configs[stack]
        if args.topology:
            config = {**config, f"{project}:topology": str(topology_path)}
        result = run_stack(stack, project, config, secret_keys, outputs)
        if result["status"] != "ok":
            print(f"error: stack {stack}: {result['message'].rstrip()}", file=sys.stderr)
            return BAD_INPUT if result["status"] == "invalid" else INTERNAL
        # Registration order depends on when outputs resolve: sorted by URN, the same program always
        # gives the same files and summary, and a diff of two plans shows only what changed.
        result["resources"].sort(key=lambda r: str(r["urn"]))
        written = write_stack(out_dir, stack, result)
        outputs[stack] = {"outputs": result["exports"], "secret_outputs": result["secret_exports"]}
        recorded[stack] = result["resources"]
        violations = check_records(result["resources"])
        (written / "policy.json").write_text(policy_json(violations))
        mandatory += sum(v.level == "mandatory" for v in violations)
        cost = estimate(stack, result["resources"])
        (written / "cost.json").write_text(cost.to_json())
        text, warnings = split_warnings(stack_summary(result, topology, base))
        estate.add_warnings(stack, warnings)
        estate.stacks.append(_outcome(stack, result["resources"], violations, cost))
        say(text)
        say(f"monthly estimate: ${cost.total_usd:,.2f} (list prices; every line and its source: {written}/cost.json)")
        say(policy_report(violations))
        say(f"wrote {written}/{{resources.json,manifests.yaml,exports.json,policy.json,cost.json}}\n")
    progress.finish()
    if args.stack is None:  # every region is in this run: the whole picture can be drawn
        (out_dir / "topology.md").write_text(DIAGRAMS_HEADER + topology_markdown(topology, recorded))
        say(f"wrote {out_dir}/topology.md (Mermaid diagrams of the whole topology)")
    closed = _close(args, estate, out_dir, stacks)
    if closed != OK:
        return closed
    print(
        f"{len(stacks)} stack(s) evaluated in {time.perf_counter() - started:.2f} s",
        file=sys.stderr if args.json else sys.stdout,
    )
    return FINDING if mandatory else OK


def _close(args: argparse.Namespace, estate: EstateSummary, out_dir: Path, stacks: list[str]) -> int:
    """The estate summary (and the diff against an earlier plan): printed, and written to summary.json."""
    summary = estate.to_dict()
    diffs = []
    if args.diff is not None:
        try:
            diffs = diff_plans(args.diff.resolve(), out_dir, stacks)
        except DiffError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return BAD_INPUT
        summary["diff"] = {"against": str(args.diff), "stacks": [d.to_dict() for d in diffs]}
    (out_dir / "summary.json").write_text(json.dumps(summary, indent=2) + "\n")
    if args.json:
        print(json.dumps(summary, indent=2))
        return OK
    print(estate.render())
    if args.diff is not None:
        print(f'changes against {args.diff} ("may replace" from a curated list; pulumi preview has the last word):')
        for stack_diff in diffs:
            print("\n".join(stack_diff.render()))
    print(f"wrote {out_dir}/summary.json")
    return OK


def _quiet(*_: object) -> None:
    """With --json, the per-stack text is left out (progress still goes to stderr)."""


def _outcome(stack: str, resources: list[dict[str, Any]], violations: list[Violation], cost: Estimate) -> StackOutcome:
    mandatory = sum(v.level == "mandatory" for v in violations)
    deploy = critical_path(resources).seconds
    return StackOutcome(stack, len(resources), deploy, mandatory, len(violations) - mandatory, cost)


def select_stacks(topology: Topology, requested: list[str] | None) -> list[str]:
    ordered = [r.id for r in topology.ordered_regions()]
    for stack in requested or []:
        if stack not in topology.regions:
            raise TopologyError(f"--stack {stack}: no such region in the topology (regions: {', '.join(ordered)})")
    return [s for s in ordered if s in requested] if requested else ordered


def earlier_than(topology: Topology, stacks: list[str]) -> list[str]:
    """The regions whose exports the selected stacks read, and which this run does not evaluate."""
    latest = max(topology.regions[s].priority for s in stacks)
    return [r.id for r in topology.ordered_regions() if r.priority < latest and r.id not in stacks]


def previous_exports(out_dir: Path, regions: list[str]) -> dict[str, dict[str, Any]]:
    """Exports an earlier run wrote, so `--stack eu-central-1` alone can answer its references.

    Each file is checked before use (ExportsError names the file and the key): it is plain JSON
    anyone can edit, and what it holds becomes properties of the later stack's resources.
    """
    found = {}
    for region in regions:
        path = out_dir / region / "exports.json"
        if not path.exists():
            continue
        try:
            exports = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ExportsError(f"{path}: not readable as JSON ({exc}); evaluate stack {region} again") from None
        if not isinstance(exports, dict):
            raise ExportsError(f"{path}: must be a JSON object of export: value; evaluate stack {region} again")
        check_exports(region, exports, str(path))
        # Secret exports were written redacted; they stay secrets when a later stack reads them.
        found[region] = {
            "outputs": exports,
            "secret_outputs": [k for k, v in exports.items() if v == SECRET_MARKER],
        }
    return found


def policy_report(violations: list[Violation]) -> str:
    """Mandatory violations in full; advisory ones counted per rule (the full list is in policy.json)."""
    lines = [v.line() for v in violations if v.level == "mandatory"]
    advisory: dict[str, int] = {}
    for v in violations:
        if v.level != "mandatory":
            advisory[v.rule] = advisory.get(v.rule, 0) + 1
    lines += [f"ADVISORY {rule} ({count} resource(s); see policy.json)" for rule, count in sorted(advisory.items())]
    return "\n".join([*lines, summary(violations)])
