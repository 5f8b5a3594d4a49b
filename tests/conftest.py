from __future__ import annotations

import copy
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.plan import StackPlan, run_synth  # noqa: E402

_SHIPPED = yaml.safe_load((ROOT / "topology.yaml").read_text())


@pytest.fixture
def raw() -> dict[str, Any]:
    """The shipped topology as plain data, fresh for each test to mutate."""
    return copy.deepcopy(_SHIPPED)


@pytest.fixture(scope="session")
def plan_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`python -m synth --all` on the shipped topology, run once for the session."""
    out = tmp_path_factory.mktemp("build")
    result = run_synth("--all", "--out", out)
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="session")
def us_west_1(plan_dir: Path) -> StackPlan:
    return StackPlan(plan_dir / "us-west-1")


@pytest.fixture(scope="session")
def eu_central_1(plan_dir: Path) -> StackPlan:
    return StackPlan(plan_dir / "eu-central-1")


@pytest.fixture(params=["us-west-1", "eu-central-1"])
def each_stack(request: pytest.FixtureRequest, plan_dir: Path) -> StackPlan:
    return StackPlan(plan_dir / request.param)
