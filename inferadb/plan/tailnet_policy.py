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

from inferadb.facts.tailnet_acl import RegionRoutes, tailnet_policy
from inferadb.model.topology import Topology

_LISTS = ("acls", "grants", "tests", "ssh", "nodeAttrs")


class PolicyMergeError(ValueError):
    """The merged policy would lose or change something the base policy has."""


def region_routes(topology: Topology) -> list[RegionRoutes]:
    """What each region's router advertises and which of it other regions may reach, primary first."""
    return [RegionRoutes(r.id, r.private_cidrs, r.endpoint_blocks) for r in topology.ordered_regions()]


def policy_document(topology: Topology, base: dict[str, Any] | None) -> str:
    """The JSON the primary's Acl resource writes."""
    ours = tailnet_policy(region_routes(topology))
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
            merged[key] = _union(key, merged.get(key, []), value)
        elif key == "tagOwners":
            merged[key] = _union_map(key, merged.get(key, {}), value)
        elif key == "hosts":
            merged[key] = _union_names(key, merged.get(key, {}), value)
        elif key == "autoApprovers":  # routes: {cidr: [owners]}, exitNode: [owners]
            approvers = _expect(key, merged.get(key, {}), dict)
            for kind, entries in value.items():
                join = _union_map if isinstance(entries, dict) else _union
                approvers[kind] = join(f"{key}.{kind}", approvers.get(kind, type(entries)()), entries)
            merged[key] = approvers
        elif key not in merged:
            merged[key] = value
        elif merged[key] != value:
            raise PolicyMergeError(
                f"connectivity.policy_base sets '{key}' to something else than this program needs; "
                f"align the base file's '{key}' with docs/connectivity.md"
            )
    return merged


def _expect(path: str, value: Any, kind: type) -> Any:
    if not isinstance(value, kind):
        shape = "an array" if kind is list else "an object"
        raise PolicyMergeError(f"connectivity.policy_base: '{path}' must be {shape}, as Tailscale reads it")
    return value


def _union(path: str, existing: Any, extra: list[Any]) -> list[Any]:
    """`existing` with the entries of `extra` it lacks appended, in order."""
    current: list[Any] = _expect(path, existing, list)
    return current + [item for item in extra if item not in current]


def _union_map(path: str, existing: Any, extra: dict[str, list[Any]]) -> dict[str, list[Any]]:
    """A map of lists (tag -> owners, route -> approvers) with each list joined by `_union`."""
    current: dict[str, list[Any]] = dict(_expect(path, existing, dict))
    for name, items in extra.items():
        current[name] = _union(f"{path}.{name}", current.get(name, []), items)
    return current


def _union_names(path: str, existing: Any, extra: dict[str, str]) -> dict[str, str]:
    """A map of names (host aliases): ours are added; a name the base gives another value stops the merge."""
    current: dict[str, str] = dict(_expect(path, existing, dict))
    for name, value in extra.items():
        if current.setdefault(name, value) != value:
            raise PolicyMergeError(
                f"connectivity.policy_base: '{path}.{name}' is {current[name]!r} in the base but this program "
                f"needs {value!r}; rename or remove the base's entry"
            )
    return current


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
