"""`make destroy`: tear a dev estate down, every stack in reverse priority order.

Later regions read the earlier ones' outputs and, under peering, own their side of each peering, so
they go first and the primary last. Only a `dev` topology may be destroyed this way: there the
program protects nothing (components/shared/protection.py). A staging or production estate keeps
its cluster, keys, Ledger objects and tailnet policy protected; removing one on purpose is a manual,
per-resource step (docs/deploying.md, "Removing stateful resources on purpose").
"""

from __future__ import annotations

import time
from typing import TextIO

from deploy.engine import StackEngine
from deploy.run import Step, summary
from inferadb.facts.exit_codes import BAD_INPUT, FINDING, OK


def refused(environment: str) -> str | None:
    """Why this topology may not be destroyed in one command, or None for a dev estate."""
    if environment == "dev":
        return None
    return (
        f"make destroy tears down dev estates only; this topology is {environment}, whose stateful resources "
        f"are protected (docs/deploying.md, 'Removing stateful resources on purpose')"
    )


def destroy(stacks: list[str], environment: str, engine: StackEngine, out: TextIO) -> int:
    """`stacks` in priority order (they are destroyed in the reverse)."""
    reason = refused(environment)
    if reason is not None:
        print(f"error: {reason}", file=out)
        return BAD_INPUT
    started, steps = time.monotonic(), []
    order = list(reversed(stacks))
    for number, stack in enumerate(order, 1):
        print(f"[{number}/{len(order)}] {stack}: pulumi destroy", file=out, flush=True)
        outcome = engine.destroy(stack, lambda line: print(f"  | {line.rstrip()}", file=out))
        steps.append(Step(stack, "ok" if outcome.ok else "FAILED", outcome.summary))
        if not outcome.ok:
            print(f"{stack} failed: {outcome.summary}; the earlier regions stay (later ones read them)", file=out)
            return summary("destroy", steps, started, out, FINDING)
    return summary("destroy", steps, started, out, OK)
