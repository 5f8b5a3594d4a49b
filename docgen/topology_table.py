"""The topology reference table, read from the pydantic models (field docstrings are the meanings)."""

from __future__ import annotations

import ipaddress
import types
import typing
from collections.abc import Iterator
from typing import Any, Literal, Union, get_args, get_origin

import annotated_types
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from inferadb.model.topology import Topology

Row = tuple[str, str, str]


def rows(model: type[BaseModel] = Topology, prefix: str = "", seen: dict[str, str] | None = None) -> Iterator[Row]:
    seen = {} if seen is None else seen
    for name, field in model.model_fields.items():
        if model.__name__ == "Region" and name == "id":
            continue  # the map key
        path = f"{prefix}{name}"
        variants = _models(field.annotation)
        if name == "regions":
            yield f"`{path}.<id>`", "map of region id to region", _describe(field)
            yield from rows(variants[0], f"{path}.<id>.", seen)
        elif len(variants) > 1:  # a discriminated union: one block per mode
            yield f"`{path}.mode`", " \\| ".join(f"`{_mode(v)}`" for v in variants), _describe(field)
            for variant in variants:
                for sub_path, kind, meaning in rows(variant, f"{path}.", seen):
                    if not sub_path.endswith(".mode`"):
                        yield sub_path, kind, f"({_mode(variant)}) {meaning}"
        elif variants and variants[0].__name__ in seen:  # the same block again: say so, once
            optional = " (optional)" if field.default is None else ""
            yield f"`{path}`", f"as `{seen[variants[0].__name__]}`{optional}", _describe(field)
        elif variants and variants[0].__name__ == "NodeGroup":
            seen["NodeGroup"] = path
            yield f"`{path}`", "node group", _describe(field)
            yield from rows(variants[0], f"{path}.", seen)
        elif variants and variants[0].__name__ != "Resources":
            yield from rows(variants[0], f"{path}.", seen)
        else:
            yield f"`{path}`", _kind(field), _describe(field)


def _describe(field: FieldInfo) -> str:
    return " ".join((field.description or "").split())


def render() -> str:
    lines = ["| field | type / values | meaning |", "|---|---|---|"]
    lines += [f"| {path} | {kind} | {meaning} |" for path, kind, meaning in rows()]
    return "\n".join(lines) + "\n"


def _models(annotation: Any) -> list[type[BaseModel]]:
    candidates = [annotation, *_flatten(annotation)]
    return [c for c in candidates if isinstance(c, type) and issubclass(c, BaseModel)]


def _flatten(annotation: Any) -> list[Any]:
    found: list[Any] = []
    for arg in get_args(annotation):
        found += [arg, *_flatten(arg)]
    return found


def _mode(model: type[BaseModel]) -> str:
    return str(get_args(model.model_fields["mode"].annotation)[0])


def _kind(field: FieldInfo) -> str:
    text = _type(field.annotation)
    bounds = _bounds(field.metadata)
    if bounds:
        text += f" {bounds}"
    if field.is_required():
        return text + ", required"
    default = field.get_default(call_default_factory=True)
    if default not in (None, (), {}):
        text += f", default `{_value(default)}`"
    return text


def _type(annotation: Any) -> str:
    origin = get_origin(annotation)
    if origin is Literal:
        return " \\| ".join(f"`{a}`" for a in get_args(annotation))
    if origin in (Union, types.UnionType):
        parts = [_type(a) for a in get_args(annotation) if a is not type(None)]
        return ", or ".join(parts) + (" (optional)" if type(None) in get_args(annotation) else "")
    if origin is tuple:
        return f"list of {_type(get_args(annotation)[0])}"
    if origin is dict:
        key, value = get_args(annotation)
        return f"map of {_type(key)} to {_type(value)}"
    if origin is typing.Annotated:
        return _type(get_args(annotation)[0])
    names = {str: "string", int: "int", float: "number", bool: "bool", ipaddress.IPv4Network: "IPv4 CIDR"}
    if annotation in names:
        return names[annotation]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "{" + ", ".join(annotation.model_fields) + "}"
    return str(annotation)


def _bounds(metadata: list[Any]) -> str:
    parts = []
    for item in metadata:
        if isinstance(item, annotated_types.Ge):
            parts.append(f"≥ {item.ge}")
        elif isinstance(item, annotated_types.Gt):
            parts.append(f"> {item.gt}")
        elif isinstance(item, annotated_types.Le):
            parts.append(f"≤ {item.le}")
        elif isinstance(item, annotated_types.MinLen) and item.min_length > 0:
            parts.append(f"at least {item.min_length}")
    return ", ".join(parts)


def _value(value: Any) -> str:
    if isinstance(value, BaseModel):
        return ", ".join(f"{k}: {v}" for k, v in value.model_dump().items())
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)
