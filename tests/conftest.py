"""Fixtures every tier shares: the shipped topology as data, and recorded plans of the topologies.

Tiers: tests/unit (in-process, no evaluation), tests/plan (what synth recorded, one evaluation per
topology per session), tests/e2e (the command lines, moto, the workflows).
"""

from __future__ import annotations

import copy
import gc
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from synth.runner import warm_up
from tests.recorded import StackPlan, plan_of

ROOT = Path(__file__).resolve().parent.parent
_SHIPPED = yaml.safe_load((ROOT / "topology.yaml").read_text())


def _example(name: str) -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load((ROOT / "examples" / f"{name}.yaml").read_text())
    return document


def pytest_collection_finish(session: pytest.Session) -> None:
    """Tiers that evaluate stacks start the warm evaluator at once: its imports overlap collection
    and the first tests instead of holding up the first plan."""
    if any(tier in item.path.parts for item in session.items for tier in ("plan", "e2e")):
        warm_up()
    # What collection imported lives as long as the run: keep the collector from walking it again
    # at every full collection (the provider SDKs alone are a few hundred thousand objects).
    gc.freeze()


@pytest.fixture
def raw() -> dict[str, Any]:
    """The shipped topology as plain data, fresh for each test to mutate."""
    return copy.deepcopy(_SHIPPED)


@pytest.fixture(scope="session")
def plan_cache(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Path:
    """One directory per test run: shared by the run's pytest-xdist workers, never by two runs
    (a plan evaluated by older code must not answer for the code under test)."""
    base = tmp_path_factory.getbasetemp()
    # A worker's base temp dir sits inside the run's own; without workers, the base is the run's.
    run_dir = base if worker_id == "master" else base.parent
    return run_dir / "synth-plans"


@pytest.fixture(scope="session")
def plan_dir(plan_cache: Path) -> Path:
    """`python -m synth --all` on the shipped topology."""
    return plan_of(_SHIPPED, plan_cache)


@pytest.fixture(scope="session")
def us_west_1(plan_dir: Path) -> StackPlan:
    return StackPlan(plan_dir / "us-west-1")


@pytest.fixture(scope="session")
def eu_central_1(plan_dir: Path) -> StackPlan:
    return StackPlan(plan_dir / "eu-central-1")


@pytest.fixture(params=["us-west-1", "eu-central-1"])
def each_stack(request: pytest.FixtureRequest) -> StackPlan:
    # The session's plans, so each is read and parsed once per worker.
    plan: StackPlan = request.getfixturevalue(request.param.replace("-", "_"))
    return plan


@pytest.fixture(scope="session")
def shipped(plan_dir: Path) -> list[dict[str, Any]]:
    """The primary's recorded resources, as the policy checker reads them."""
    records: list[dict[str, Any]] = json.loads((plan_dir / "us-west-1" / "resources.json").read_text())
    return records


@pytest.fixture(scope="session")
def peering(plan_cache: Path) -> dict[str, StackPlan]:
    """examples/peering.yaml: three regions joined by VPC peering."""
    out = plan_of(_example("peering"), plan_cache)
    return {region: StackPlan(out / region) for region in ("us-west-1", "eu-central-1", "us-east-2")}


@pytest.fixture(scope="session")
def witness(plan_cache: Path) -> dict[str, StackPlan]:
    """examples/witness.yaml: 3 + 3 + a one-node witness region that has no stack file."""
    out = plan_of(_example("witness"), plan_cache)
    return {region: StackPlan(out / region) for region in ("us-west-1", "eu-central-1", "us-east-2")}


@pytest.fixture(scope="session")
def evaluation(plan_cache: Path) -> StackPlan:
    """examples/evaluation.yaml: one region, one Ledger voter, Control beside it."""
    return StackPlan(plan_of(_example("evaluation"), plan_cache) / "us-west-1")


def _featured() -> dict[str, Any]:
    """The shipped topology with the optional parts switched on at once (one evaluation instead of
    one per feature; they do not touch each other's resources): `control.access` internet-facing
    with failover, `monitoring.mode: install` (the EBS CSI pin is a test value), a topology admin, a
    preview role, two deployers, both API paths, routers without public addresses, and in the
    primary a fourth Ledger node (desired 4 of max 4) and no endpoint reservations (the fallback)."""
    variant: dict[str, Any] = copy.deepcopy(_SHIPPED)
    variant["regions"]["us-west-1"]["node_groups"]["ledger"]["desired_size"] = 4
    variant["connectivity"]["router_public_address"] = False
    variant["regions"]["us-west-1"]["ledger_endpoint_reservation"] = "none"
    variant["control"]["access"] = {"hostname": "app.example.com", "public_zone": "example.com"}
    variant["monitoring"] = {"mode": "install", "retention": "30d", "storage": "100Gi"}
    variant["eks"]["addons"]["aws-ebs-csi-driver"] = "v1.99.0-eksbuild.1"
    variant["eks"]["admins"] = ["arn:aws:iam::111122223333:role/platform-admin"]
    variant["eks"]["deployers"] = [
        "arn:aws:iam::123456789012:role/inferadb-deploy",
        "arn:aws:iam::123456789012:role/inferadb-ci",
    ]
    variant["eks"]["api_access"] = {"public_cidrs": ["198.18.0.0/24"], "private_cidrs": ["10.99.0.0/16"]}
    variant["eks"]["preview_role"] = "arn:aws:iam::111122223333:role/inferadb-preview"
    return variant


@pytest.fixture(scope="session")
def featured(plan_cache: Path) -> dict[str, StackPlan]:
    out = plan_of(_featured(), plan_cache)
    return {region: StackPlan(out / region) for region in ("us-west-1", "eu-central-1")}


@pytest.fixture(scope="session")
def client_access(plan_cache: Path, featured: dict[str, StackPlan]) -> dict[str, dict[str, StackPlan]]:
    """`control.access` internet-facing with failover (the featured variant), and internal with
    latency routing (the shipped topology plus access, and the featured variant's two deployers in
    the other order)."""
    variant = copy.deepcopy(_SHIPPED)
    variant["eks"]["deployers"] = [
        "arn:aws:iam::123456789012:role/inferadb-ci",
        "arn:aws:iam::123456789012:role/inferadb-deploy",
    ]
    variant["control"]["access"] = {
        "hostname": "app.example.com",
        "public_zone": "example.com",
        "scheme": "internal",
        "routing": "latency",
    }
    out = plan_of(variant, plan_cache)
    return {
        "public": featured,
        "internal": {region: StackPlan(out / region) for region in ("us-west-1", "eu-central-1")},
    }


@pytest.fixture(scope="session")
def monitored(featured: dict[str, StackPlan]) -> dict[str, StackPlan]:
    """`monitoring.mode: install` (the featured variant)."""
    return featured


@pytest.fixture(scope="session")
def admin_variant(featured: dict[str, StackPlan]) -> StackPlan:
    """A topology admin, a preview role, and both API paths (the featured variant's primary)."""
    return featured["us-west-1"]
