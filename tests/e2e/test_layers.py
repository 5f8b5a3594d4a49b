"""The layer contracts in pyproject.toml hold today, and really fail on a wrong-way import."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

# The slow tier (`make test-slow`): import-linter over a planted copy of the tree, once per contract.
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]

LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

PACKAGES = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["root_packages"]


def lint_imports(project: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--config", str(project / "pyproject.toml")],
        cwd=project,
        env={"PYTHONPATH": str(project), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture
def copy_of_the_project(tmp_path: Path) -> Path:
    for package in PACKAGES:
        shutil.copytree(ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__", "venv"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_contracts_hold(copy_of_the_project: Path) -> None:
    result = lint_imports(copy_of_the_project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "wrong_import", "broken"),
    [
        # facts is the bottom layer: it may not know the topology model.
        ("inferadb/facts/catalog.py", "import inferadb.model.topology", "layers import only downward"),
        # the policy pack runs in its own venv (no pydantic): it may import facts only.
        ("policies/support.py", "import inferadb.plan.addressing", "policy pack imports only the facts"),
        # components take the region plan: the topology model is out of their reach.
        ("components/region.py", "import inferadb.model.topology", "never the topology model"),
        # the domain is plain Python: no Pulumi SDK, so the plan and its checks run without one.
        ("inferadb/plan/addressing.py", "import pulumi_aws", "the domain imports no Pulumi module"),
        # what the workloads share with connectivity lives in components/shared.
        ("components/workloads/ledger.py", "import components.connectivity.vpc", "workloads never import connectivity"),
        # the tools share neutral modules, never each other's insides.
        ("preflight/run.py", "import synth.report", "preflight imports nothing of synth"),
        ("docgen/topology_table.py", "import synth.cli", "docgen uses only what synth exports"),
        # an import hidden in a function still counts, and a cycle is a cycle.
        ("inferadb/model/regions.py", "def _late() -> None:\n    import inferadb.model.document", "no import cycles"),
    ],
)
def test_a_wrong_way_import_breaks_a_contract(
    copy_of_the_project: Path, module: str, wrong_import: str, broken: str
) -> None:
    path = copy_of_the_project / module
    path.write_text(path.read_text() + "\n\n" + wrong_import + "\n")
    result = lint_imports(copy_of_the_project)
    assert result.returncode == 1
    broken_section = result.stdout.split("Broken contracts", 1)[-1]
    assert broken in " ".join(broken_section.split())
