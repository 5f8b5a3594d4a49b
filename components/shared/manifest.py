"""Kubernetes object bodies written as in a manifest (camelCase), for the typed SDK constructors.

pulumi-kubernetes types its nested inputs as snake_case TypedDicts, but sends camelCase keys through
unchanged, so a body copied from (or compared with) a real manifest stays a plain camelCase dict.
`body()` marks each such dict as deliberately untyped, so the type checker accepts it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any


def body(fields: Mapping[str, Any] | Sequence[Mapping[str, Any]]) -> Any:
    return fields
