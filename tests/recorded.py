"""Reading what `python -m synth` wrote, and evaluating each topology once per test session.

`plan_of` runs synth on a topology and caches the result by the topology's content, in a directory
every pytest-xdist worker shares, under a file lock: however many tests and workers ask for the
shipped topology, it is evaluated once.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import hashlib
import io
import json
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

import synth.cli

ROOT = Path(__file__).resolve().parent.parent


def run_synth(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "synth", *map(str, args)], cwd=ROOT, capture_output=True, text=True, check=False
    )


def synth_in_process(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """`python -m synth ARGS` run in this process: the same CLI code, and the same warm evaluator for
    every call (a subprocess would pay the provider SDK imports again each time)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = synth.cli.main([str(a) for a in args])
    return subprocess.CompletedProcess(["python", "-m", "synth", *map(str, args)], code, out.getvalue(), err.getvalue())


def topology_key(topology: dict[str, Any]) -> str:
    """The cache key: the topology's content (comments and key order do not count)."""
    return hashlib.sha256(json.dumps(topology, sort_keys=True, default=str).encode()).hexdigest()[:16]


def plan_of(topology: dict[str, Any], cache_root: Path, stack: str | None = None) -> Path:
    """`synth --all` (or `--stack STACK`, a first region) on `topology`, evaluated once per session
    across workers; returns the output directory."""
    key = topology_key(topology) + (f"-{stack}" if stack else "")
    out, done = cache_root / key, cache_root / f"{key}.done"
    cache_root.mkdir(parents=True, exist_ok=True)
    with (cache_root / f"{key}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            source = cache_root / f"{key}.yaml"
            source.write_text(yaml.safe_dump(topology, sort_keys=False))
            which = ["--stack", stack] if stack else ["--all"]
            result = synth_in_process(*which, "--topology", source, "--out", out)
            if result.returncode != 0:
                raise AssertionError(f"synth failed on topology {key}:\n{result.stderr}")
            done.write_text(result.stdout)
    return out


@dataclass
class StackPlan:
    directory: Path
    resources: list[dict[str, Any]] = field(init=False)
    exports: dict[str, Any] = field(init=False)

    def __post_init__(self) -> None:
        self.resources = json.loads((self.directory / "resources.json").read_text())
        self.exports = json.loads((self.directory / "exports.json").read_text())

    @functools.cached_property
    def manifests(self) -> list[dict[str, Any]]:
        """Parsed once per plan: tests read the manifests many times (treat them as read-only)."""
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        return [d for d in yaml.load_all((self.directory / "manifests.yaml").read_text(), Loader=loader) if d]

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
