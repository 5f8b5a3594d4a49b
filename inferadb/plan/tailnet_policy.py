"""The tailnet policy the primary writes: this program's rules alone, or merged into the operator's base.

A tailnet has one policy file, and the provider either refuses to replace a policy it did not write
or replaces all of it. On a tailnet that other workloads share, the operator exports the current
policy into a file (`connectivity.policy_base`) and the program writes that file plus its own part:
tags and their owners, ACL rules, grants, auto-approvers and tests are added, everything else is kept
as it is. Before anything is written the merge is checked the other way round: every entry of the
base must still be in the result, or the plan stops naming what would be lost.
"""

from __future__ import annotations

import json
from typing import Any

from inferadb.facts.tailnet_acl import tailnet_policy

_LISTS = ("acls", "grants", "tests", "ssh", "nodeAttrs")
_OWNER_MAPS = ("tagOwners",)


class PolicyMergeError(ValueError):
    """The merged policy would lose or change something the base policy has."""


def policy_document(base: dict[str, Any] | None) -> str:
    """The JSON the primary's Acl resource writes."""
    ours = tailnet_policy()
    if base is None:
        return json.dumps(ours, indent=2)
    merged = merge(base, ours)
    lost = dropped(base, merged)
    if lost:
        raise PolicyMergeError(
            f"connectivity.policy_base: merging this program's rules would drop {', '.join(lost)}; "
            f"fix the base file (or use a dedicated tailnet and remove policy_base)"
        )
    return json.dumps(merged, indent=2)


def merge(base: dict[str, Any], ours: dict[str, Any]) -> dict[str, Any]:
    merged: dict[str, Any] = json.loads(json.dumps(base))  # a deep copy of plain JSON
    for key, value in ours.items():
        if key in _LISTS:
            existing = merged.setdefault(key, [])
            existing.extend(item for item in value if item not in existing)
        elif key in _OWNER_MAPS:
            owners = merged.setdefault(key, {})
            for tag, names in value.items():
                owners[tag] = owners.get(tag, []) + [n for n in names if n not in owners.get(tag, [])]
        elif key == "autoApprovers":
            approvers = merged.setdefault(key, {})
            for kind, entries in value.items():  # routes: {cidr: [owners]}, exitNode: [owners]
                if isinstance(entries, dict):
                    routes = approvers.setdefault(kind, {})
                    for cidr, names in entries.items():
                        routes[cidr] = routes.get(cidr, []) + [n for n in names if n not in routes.get(cidr, [])]
                else:
                    current = approvers.setdefault(kind, [])
                    current.extend(n for n in entries if n not in current)
        elif key not in merged:
            merged[key] = value
        elif merged[key] != value:
            raise PolicyMergeError(
                f"connectivity.policy_base sets '{key}' to something else than this program needs; "
                f"align the base file's '{key}' with docs/connectivity.md"
            )
    return merged


def dropped(base: Any, merged: Any, path: str = "") -> list[str]:
    """Every entry of `base` that `merged` no longer has, as a readable path."""
    if isinstance(base, dict):
        if not isinstance(merged, dict):
            return [path or "the policy"]
        return [
            lost for key, value in base.items() for lost in dropped(value, merged.get(key), f"{path}.{key}".lstrip("."))
        ]
    if isinstance(base, list):
        if not isinstance(merged, list):
            return [path]
        return [f"{path}[{i}]" for i, item in enumerate(base) if item not in merged]
    return [] if base == merged else [path]
