"""The policy table, read from the pack's rule objects and the recording-only rules."""

from __future__ import annotations

from pulumi_policy import StackValidationPolicy

from policies.pack import POLICIES
from policies.recorded import RULES as RECORDED_RULES


def render() -> str:
    lines = ["| rule | level | where | checks |", "|---|---|---|---|"]
    for policy in POLICIES:
        where = "stack" if isinstance(policy, StackValidationPolicy) else "resource"
        level = policy.enforcement_level.value if policy.enforcement_level else "mandatory"
        lines.append(f"| `{policy.name}` | {level} | {where} | {policy.description} |")
    for recorded in RECORDED_RULES:
        lines.append(f"| `{recorded.name}` | mandatory | offline only | {recorded.description} |")
    return "\n".join(lines) + "\n"
