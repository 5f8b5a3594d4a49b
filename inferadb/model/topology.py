"""The multi-region topology: the validated document, and the one way to load it.

`topology.yaml` is the single source of truth for every region. Everything here is plain data
(no Pulumi imports): `load_topology` parses and validates the file before any resource is declared,
and a bad file yields one `TopologyError` whose lines name the field path and the fix.
"""

from __future__ import annotations

from pathlib import Path
from typing import Self

from pydantic import ValidationError, model_validator

from inferadb.model.document import TopologyDocument
from inferadb.model.errors import REFERENCE, describe
from inferadb.model.rules import check_topology
from inferadb.model.source import SourceError, read_mapping


class Topology(TopologyDocument):
    """A topology whose cross-region rules hold: the only kind the program deploys."""

    @model_validator(mode="after")
    def _cross_region_rules(self) -> Self:
        check_topology(self)
        return self


class TopologyError(ValueError):
    """A topology that must not be deployed; `str()` is the message a user sees."""


def load_topology(path: str | Path) -> Topology:
    source = Path(path)
    try:
        data = read_mapping(source, "topology")
    except SourceError as exc:
        raise TopologyError(str(exc)) from exc
    return parse_topology(data, source.name)


def parse_topology(data: object, source: str = "topology.yaml") -> Topology:
    try:
        return Topology.model_validate(data)
    except ValidationError as exc:
        lines = [line for e in exc.errors() for line in describe(source, e, Topology)]
        lines.append(f"{source}: every field, its type and its rules: {REFERENCE}")
        raise TopologyError("\n".join(lines)) from exc
