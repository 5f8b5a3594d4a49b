"""Reading what `python -m synth` wrote: the recorded resources of one stack, as plain data."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent


def run_synth(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "synth", *map(str, args)], cwd=ROOT, capture_output=True, text=True, check=False
    )


@dataclass
class StackPlan:
    directory: Path
    resources: list[dict[str, Any]] = field(init=False)
    exports: dict[str, Any] = field(init=False)

    def __post_init__(self) -> None:
        self.resources = json.loads((self.directory / "resources.json").read_text())
        self.exports = json.loads((self.directory / "exports.json").read_text())

    @property
    def manifests(self) -> list[dict[str, Any]]:
        return [d for d in yaml.safe_load_all((self.directory / "manifests.yaml").read_text()) if d]

    def of_type(self, resource_type: str) -> list[dict[str, Any]]:
        return [r for r in self.resources if r["type"] == resource_type]

    def one(self, resource_type: str, name: str | None = None) -> dict[str, Any]:
        found = [r for r in self.of_type(resource_type) if name is None or r["name"] == name]
        assert len(found) == 1, f"expected one {resource_type} {name or ''}, found {len(found)}"
        return found[0]

    def by_urn(self, urn: str) -> dict[str, Any]:
        return next(r for r in self.resources if r["urn"] == urn)

    def by_id(self, resource_id: str) -> dict[str, Any]:
        return next(r for r in self.resources if r.get("id") == resource_id)
