"""The order of a deploy: preflight, then every stack in priority order, then verify.

Stacks run one after another, never in parallel: every later region reads the earlier ones' outputs
(StackReference: the blinding key, the tailnet policy's tags, under peering the VPCs and route
tables) and, under peering, manages its side of each peering with an earlier region. A stack that
fails stops the run (the later ones depend on it); a re-run skips the stacks an earlier run finished
for the same topology.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TextIO

from deploy.engine import StackEngine
from deploy.progress import Progress
from inferadb.facts.exit_codes import BAD_INPUT, FINDING, OK


@dataclass(frozen=True)
class Step:
    name: str
    status: str
    """`ok`, `skipped` or `FAILED`."""
    detail: str


def deploy(
    stacks: list[str],
    engine: StackEngine,
    *,
    preview: bool,
    preflight: Callable[[], int],
    verify: Callable[[], int],
    progress: Progress,
    out: TextIO,
    pause: Callable[[str], str | None] = lambda stack: None,
    before: list[tuple[str, Callable[[], int]]] | None = None,
) -> int:
    """`before`: steps ahead of preflight (the state backend), each stopping the run if it fails.
    `pause`: asked after each stack's update; a reason stops the run there (the stack is finished)."""
    started, steps = time.monotonic(), []
    before = before or []
    total, offset = len(stacks) + 2 + len(before), len(before)
    for number, (name, run) in enumerate(before, 1):
        print(f"[{number}/{total}] {name}", file=out, flush=True)
        code = run()
        steps.append(Step(name, "ok" if code == OK else "FAILED", f"exit {code}"))
        if code != OK:
            return _summary(steps, started, out, BAD_INPUT if code == BAD_INPUT else FINDING)
    print(f"[{offset + 1}/{total}] preflight", file=out, flush=True)
    code = preflight()
    steps.append(Step("preflight", "ok" if code == OK else "FAILED", f"exit {code}"))
    if code != OK:
        return _summary(steps, started, out, BAD_INPUT if code == BAD_INPUT else FINDING)
    for number, stack in enumerate(stacks, offset + 2):
        verb = "preview" if preview else "up"
        if not preview and progress.finished(stack):
            print(f"[{number}/{total}] {stack}: finished by an earlier run of this topology, skipped", file=out)
            steps.append(Step(stack, "skipped", "finished earlier"))
            continue
        print(f"[{number}/{total}] {stack}: pulumi {verb} with the policy pack", file=out, flush=True)
        outcome = engine.run(stack, preview, lambda line: print(f"  | {line.rstrip()}", file=out))
        steps.append(Step(stack, "ok" if outcome.ok else "FAILED", outcome.summary))
        if not outcome.ok:
            print(f"{stack} failed: {outcome.summary}; the later regions depend on it, stopping", file=out)
            return _summary(steps, started, out, FINDING)
        if not preview:
            progress.mark(stack)
            reason = pause(stack)
            if reason is not None:
                print(f"paused after {stack}: {reason}", file=out)
                steps.append(Step("pause", "PAUSED", reason))
                return _summary(steps, started, out, FINDING)
    if preview:
        steps.append(Step("verify", "skipped", "a preview changes nothing to verify"))
        return _summary(steps, started, out, OK)
    print(f"[{total}/{total}] verify", file=out, flush=True)
    code = verify()
    steps.append(Step("verify", "ok" if code == OK else "FAILED", f"exit {code}"))
    if code == OK:
        progress.clear()  # the estate is verified: the next run starts from the top
    return _summary(steps, started, out, OK if code == OK else FINDING)


def _summary(steps: list[Step], started: float, out: TextIO, code: int) -> int:
    return summary("deploy", steps, started, out, code)


def summary(command: str, steps: list[Step], started: float, out: TextIO, code: int) -> int:
    """The closing lines of a run: every step's status, then the exit code."""
    print(f"{command} summary ({time.monotonic() - started:.0f} s):", file=out)
    for step in steps:
        print(f"  {step.status:<7} {step.name}: {step.detail}", file=out)
    print(f"{command}: exit {code}", file=out)
    return code
