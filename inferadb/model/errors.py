"""Topology errors a person can act on: the field path, what was given, what is expected, the fix.

pydantic's own messages ("Input should be a valid integer") name neither the value nor the fix.
Here a misspelt key gets the nearest real field, a number where text is expected says to quote it,
and every message points at the field reference, docs/topology.md.
"""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel

REFERENCE = "docs/topology.md"

# Tags of a discriminated union appear in an error's location; a user never writes them.
UNION_TAGS = ("tailscale", "peering")


def describe(source: str, error: Any, root: type[BaseModel]) -> list[str]:
    """One pydantic error as the lines a user reads (a rule may report several mistakes at once)."""
    loc = tuple(error["loc"])
    path = ".".join(str(p) for p in loc if p not in UNION_TAGS or len(loc) == 1)
    message = _message(error, loc, root)
    lines = message.splitlines() or [message]
    if path and not lines[0].startswith(path.split(".")[0] + "."):
        lines[0] = f"{path}: {lines[0]}"
    return [f"{source}: {line}" for line in lines]


def _message(error: Any, loc: tuple[Any, ...], root: type[BaseModel]) -> str:
    kind, given = error["type"], error.get("input")
    if kind == "extra_forbidden":
        known = _fields_at(root, loc[:-1])
        guess = difflib.get_close_matches(str(loc[-1]), known, n=1, cutoff=0.6)
        hint = f"did you mean '{guess[0]}'?" if guess else f"the fields here are: {', '.join(sorted(known))}"
        return f"unknown field; {hint}"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"expects a whole number, got {_shown(given)}; write it without quotes or units (e.g. 3)"
    if kind == "string_type" and isinstance(given, int | float) and not isinstance(given, bool):
        return f"expects text, got the number {given}; quote it: '{given}' (YAML reads 1.35 as a number)"
    if kind in ("bool_parsing", "bool_type"):
        return f"expects true or false, got {_shown(given)}"
    if kind == "missing":
        return "is required; add it"
    if kind == "literal_error":
        return f"got {_shown(given)}; write one of {error['msg'].removeprefix('Input should be ')}"
    message = str(error["msg"]).removeprefix("Value error, ")
    if error["type"] != "value_error" and given is not None and not isinstance(given, dict | list):
        message = f"{message} (got {_shown(given)})"
    return message


def _shown(value: Any) -> str:
    return repr(value) if isinstance(value, str) else str(value)


def _fields_at(root: type[BaseModel], loc: Sequence[Any]) -> list[str]:
    """The field names a mapping at `loc` may hold, following models, dicts, lists and unions."""
    candidates: list[Any] = [root]
    for part in loc:
        candidates = [nxt for c in candidates for nxt in _step(c, part)]
    return sorted({name for c in candidates for name in _names(c)})


def _options(annotation: Any) -> list[Any]:
    """The alternatives of a union (or Annotated union); other annotations stand alone."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _options(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return [o for a in typing.get_args(annotation) for o in _options(a)]
    return [annotation]


def _step(annotation: Any, part: Any) -> list[Any]:
    found: list[Any] = []
    for option in _options(annotation):
        origin, args = typing.get_origin(option), typing.get_args(option)
        if isinstance(option, type) and issubclass(option, BaseModel):
            field = option.model_fields.get(str(part))
            if field is not None:
                found.append(field.annotation)
            elif part in UNION_TAGS:
                found.append(option)  # the tag itself: stay on this model
        elif origin is dict and len(args) == 2:
            found.append(args[1])
        elif origin in (list, tuple) and args:
            found.append(args[0])
    return found


def _names(annotation: Any) -> list[str]:
    return [
        name
        for option in _options(annotation)
        if isinstance(option, type) and issubclass(option, BaseModel)
        for name in option.model_fields
    ]
