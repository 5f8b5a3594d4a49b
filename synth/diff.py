"""`synth --diff EARLIER_BUILD`: what this plan changes against an earlier one, per stack.

Resources are matched by URN: added, deleted, and changed with the inputs that differ. Offline there
is no provider diff, so a change is flagged "may replace" only when a changed input is on the
curated list in `synth/replacing.py`; `pulumi preview` has the last word. The cost difference comes
from the two plans' cost.json files.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from synth.replacing import REPLACING


class DiffError(ValueError):
    """The earlier build directory cannot be compared (missing, or not synth's output)."""


@dataclass
class Changed:
    urn: str
    inputs: list[str]
    may_replace: list[str]


@dataclass
class StackDiff:
    stack: str
    added: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    changed: list[Changed] = field(default_factory=list)
    cost_before: float | None = None
    cost_after: float | None = None
    unpriced: list[str] = field(default_factory=list)
    """Lines either plan could not price: the two totals are then not comparable."""

    @property
    def cost_delta(self) -> float | None:
        if self.cost_before is None or self.cost_after is None or self.unpriced:
            return None
        return round(self.cost_after - self.cost_before, 2)

    def to_dict(self) -> dict[str, Any]:
        return {
            "stack": self.stack,
            "added": self.added,
            "deleted": self.deleted,
            "changed": [{"urn": c.urn, "inputs": c.inputs, "may_replace": c.may_replace} for c in self.changed],
            "monthly_usd_before": self.cost_before,
            "monthly_usd_after": self.cost_after,
            "monthly_usd_delta": self.cost_delta,
            "unpriced": self.unpriced,
        }

    def render(self) -> list[str]:
        head = f"  {self.stack}: {len(self.added)} added, {len(self.changed)} changed, {len(self.deleted)} deleted"
        if self.cost_delta is not None:
            head += f"; monthly estimate {self.cost_delta:+,.2f} USD"
        elif self.unpriced:
            head += f"; monthly estimates not comparable (not priced: {', '.join(self.unpriced)})"
        lines = [head]
        lines += [f"    + {urn}" for urn in self.added]
        lines += [f"    - {urn}" for urn in self.deleted]
        for change in self.changed:
            flag = f"  MAY REPLACE ({', '.join(change.may_replace)})" if change.may_replace else ""
            lines.append(f"    ~ {change.urn}: {', '.join(change.inputs)}{flag}")
        return lines


def _get(props: Any, path: str) -> Any:
    for part in path.split("."):
        if not isinstance(props, dict):
            return None
        props = props.get(part)
    return props


def _records(directory: Path) -> dict[str, dict[str, Any]]:
    try:
        records = json.loads((directory / "resources.json").read_text())
        return {str(r["urn"]): r for r in records}
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise DiffError(f"{directory / 'resources.json'} is not a plan synth wrote ({exc})") from exc


def _cost(directory: Path) -> tuple[float | None, list[str]]:
    """The plan's monthly total and its unpriced lines (none known when it has no cost.json)."""
    try:
        document = json.loads((directory / "cost.json").read_text())
        return float(document["total_usd"]), [str(item) for item in document.get("unpriced", [])]
    except (OSError, ValueError, KeyError, TypeError):
        return None, []


def diff_stack(stack: str, earlier: Path, now: Path) -> StackDiff:
    before = _records(earlier / stack) if (earlier / stack).is_dir() else {}
    after = _records(now / stack)
    (before_usd, before_unpriced), (after_usd, after_unpriced) = _cost(earlier / stack), _cost(now / stack)
    unpriced = list(dict.fromkeys(before_unpriced + after_unpriced))
    result = StackDiff(stack, cost_before=before_usd, cost_after=after_usd, unpriced=unpriced)
    result.added = sorted(set(after) - set(before))
    result.deleted = sorted(set(before) - set(after))
    for urn in sorted(set(before) & set(after)):
        old, new = before[urn].get("props") or {}, after[urn].get("props") or {}
        inputs = sorted(k for k in set(old) | set(new) if old.get(k) != new.get(k))
        if not inputs:
            continue
        replacing = [p for p in REPLACING.get(after[urn]["type"], ()) if _get(old, p) != _get(new, p)]
        result.changed.append(Changed(urn, inputs, replacing))
    return result


def diff_plans(earlier: Path, now: Path, stacks: list[str]) -> list[StackDiff]:
    if not earlier.is_dir():
        raise DiffError(f"--diff {earlier}: no such directory (pass the build directory of an earlier plan)")
    return [diff_stack(stack, earlier, now) for stack in stacks]
