"""Known builds, their API compatibility, the settings they read, and Control's public identity."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest

from inferadb.facts import releases
from inferadb.facts.releases import BUILDS, build_of, incompatibility, write_path_hold
from inferadb.facts.settings import SCHEMAS
from inferadb.model.topology import load_topology, parse_topology
from inferadb.plan.region import plan_region
from inferadb.plan.workload_env import ControlSettingsEnv, EngineSettingsEnv
from tests.unit.test_topology import rejects

ROOT = Path(__file__).resolve().parents[2]


def test_every_build_names_a_schema_and_a_commit() -> None:
    for build in BUILDS:
        assert build.schema in SCHEMAS
        assert len(build.commit) == 7
        assert int(build.commit, 16) >= 0
        assert build.tag == "nightly-" + build.git_tag.removeprefix("v0.1.0-dev.")  # one nightly run made both


def test_unknown_tags_name_the_supported_ones() -> None:
    with pytest.raises(ValueError, match="supported: nightly-20260206"):
        build_of("engine", "0.1.1")


def test_builds_talk_only_when_they_speak_the_same_api() -> None:
    ledger, engine = build_of("ledger", "nightly-20260421"), build_of("engine", "nightly-20260206")
    control = build_of("control", "nightly-20260408")
    assert incompatibility(ledger, control) is None
    reason = incompatibility(ledger, engine)
    assert reason is not None
    assert "no known engine build does" in reason
    newest = build_of("ledger", "nightly-20260430")  # regions became strings: Control cannot follow
    assert "organization-string-region" in (incompatibility(newest, control) or "")


def test_a_ledger_build_the_job_cannot_bootstrap_is_refused_with_its_reason(raw: dict[str, Any]) -> None:
    # 21345c4's ProvisionRegion takes a string name and goes through GLOBAL's leader: not rendered.
    raw["images"]["ledger"] = "ghcr.io/inferadb/ledger:nightly-20260430"
    message = rejects(raw, "images.ledger: ledger nightly-20260430 cannot be deployed by this program")
    assert "admin.rs@21345c4" in message
    assert "Pin ledger nightly-20260421" in message


def test_a_compatible_engine_with_a_namespace_runs_with_its_replicas(
    raw: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    # No published Engine speaks the organization API; a build that did would run once the id is set.
    engine = dataclasses.replace(
        build_of("engine", "nightly-20260206"), tag="future", api=BUILDS[0].api, follows_leader=True
    )
    monkeypatch.setattr(releases, "BUILDS", (*BUILDS, engine))
    raw["images"]["engine"] = "ghcr.io/inferadb/engine:future"
    clients = plan_region(parse_topology(raw), "us-west-1").clients
    assert clients is not None
    assert clients.engine.replicas == 0
    assert clients.engine.hold == "workloads.engine_namespace_id is not set (Engine exits without it)"
    raw["workloads"]["engine_namespace_id"] = 42
    clients = plan_region(parse_topology(raw), "us-west-1").clients
    assert clients is not None
    assert (clients.engine.replicas, clients.engine.hold) == (3, None)
    assert clients.engine.settings.namespace_id == 42


def test_engine_env_carries_the_namespace_and_only_its_listener() -> None:
    settings = EngineSettingsEnv("engine-2026-02", "0.0.0.0:8080", "http://ledger:50051", "engine-x", 42)
    names = {e["name"]: e["value"] for e in settings.env()}
    assert names["INFERADB__ENGINE__LEDGER__NAMESPACE_ID"] == "42"
    assert not any("GRPC" in n or "MESH" in n for n in names)


def test_a_setting_the_binary_does_not_read_is_a_programming_error() -> None:
    control = ControlSettingsEnv(
        "engine-2026-02", "0.0.0.0:9090", "http://l:1", "c", "1", "https://b", "b", "https://b"
    )
    with pytest.raises(ValueError, match="not read"):
        control.env()  # Control's names against Engine's schema


@pytest.mark.parametrize("value", [0, -1, "7", True])
def test_engine_namespace_id_is_a_positive_integer(raw: dict[str, Any], value: object) -> None:
    raw["workloads"]["engine_namespace_id"] = value
    rejects(raw, "workloads.engine_namespace_id")


def test_production_needs_controls_public_urls(raw: dict[str, Any]) -> None:
    del raw["control"]
    rejects(raw, "control: a production topology needs control.frontend_url", "defaults them to localhost")


def test_dev_runs_control_with_its_localhost_defaults(raw: dict[str, Any]) -> None:
    del raw["control"]
    raw["environment"] = "dev"
    raw["ledger"]["redundancy"] = "single"
    for region in raw["regions"].values():
        region["node_groups"]["ledger"].update(min_size=1, desired_size=1, max_size=2)
    clients = plan_region(parse_topology(raw), "us-west-1").clients
    assert clients is not None
    assert clients.control.settings.frontend_url == "http://localhost:3000"


@pytest.mark.parametrize(
    ("field", "value", "fragment"),
    [
        ("frontend_url", "http://app.example.com", "control.frontend_url is not https"),
        ("frontend_url", "https://localhost:3000", "control.frontend_url names localhost or an IP address"),
        ("frontend_url", "app.example.com", "not an http(s) URL"),
        ("frontend_url", "https://10.0.0.1", "localhost or an IP address"),
        ("frontend_url", "https://app.example.com/", "ends in '/', which Control refuses at start-up"),
        ("webauthn_origin", "https://app.example.com/login", "without a path"),
        ("webauthn_origin", "https://app.example.org", "is not 'example.com' or under it"),
        ("webauthn_rp_id", "https://example.com", "not a host name"),
    ],
)
def test_control_urls_are_checked(raw: dict[str, Any], field: str, value: str, fragment: str) -> None:
    raw["control"][field] = value
    rejects(raw, "control", fragment)


@pytest.mark.parametrize("url", ["docs/runbooks", "http://wiki.example.com/runbooks", "https://"])
def test_the_runbook_base_url_is_an_https_url(raw: dict[str, Any], url: str) -> None:
    raw["monitoring"] = {"runbook_base_url": url}
    rejects(raw, "monitoring.runbook_base_url")


def test_writes_reach_the_leader_only_through_one_voter_forwarding_or_a_client_that_follows() -> None:
    ledger, control = build_of("ledger", "nightly-20260421"), build_of("control", "nightly-20260408")
    reason = write_path_hold(ledger, control, 6)
    assert reason is not None
    assert "does not follow Ledger's NotLeader answers" in reason
    assert "with 6 Ledger voters" in reason
    assert write_path_hold(ledger, control, 1) is None  # one voter always leads
    assert write_path_hold(ledger, control, 3) is not None
    assert write_path_hold(dataclasses.replace(ledger, forwards_writes=True), control, 6) is None
    assert write_path_hold(ledger, dataclasses.replace(control, follows_leader=True), 6) is None


def test_no_known_build_forwards_or_follows_the_leader() -> None:
    # What the source says (docs/images.md, "Writes"): every Ledger known is after 04f76c2, and no
    # Control or Engine sets the SDK's preferred_region.
    assert not any(b.forwards_writes or b.follows_leader for b in BUILDS)


def test_the_plan_says_whether_controls_writes_reach_the_leader() -> None:
    shipped = plan_region(load_topology(ROOT / "topology.yaml"), "eu-central-1").clients
    evaluation = plan_region(load_topology(ROOT / "examples" / "evaluation.yaml"), "us-west-1").clients
    assert shipped is not None
    assert evaluation is not None
    assert (shipped.control.replicas, shipped.control.writes.split(":")[0]) == (0, "cannot reach the leader")
    assert evaluation.control.hold is None
    assert evaluation.control.replicas == 1
    assert evaluation.control.writes == "reach the leader: one Ledger voter in the whole estate, which always leads"


def declare(raw: dict[str, Any], **fields: Any) -> None:
    declared = {"component": "control", "tag": "nightly-20261201", "like": "nightly-20260408", "commit": "0123abcd"}
    raw["images"]["control"] = "ghcr.io/inferadb/control:nightly-20261201"
    raw["images"]["declared"] = [{**declared, **fields}]


def test_an_undeclared_unknown_build_names_the_known_ones_and_the_way_out(raw: dict[str, Any]) -> None:
    raw["images"]["control"] = "ghcr.io/inferadb/control:nightly-20261201"
    rejects(raw, "images.control: no settings schema for control tag 'nightly-20261201'", "supported: nightly-20260408")
    rejects(raw, "or declare it under images.declared")


def test_a_declared_build_renders_like_its_known_build_and_the_plan_warns(raw: dict[str, Any]) -> None:
    declare(raw)
    plan = plan_region(parse_topology(raw), "us-west-1")
    assert plan.clients is not None
    assert plan.clients.control.image == "ghcr.io/inferadb/control:nightly-20261201"
    assert plan.clients.control.settings.schema == build_of("control", "nightly-20260408").schema
    assert plan.clients.control.replicas == 0  # it shares the known build's leader behaviour: held
    (warning,) = [w for w in plan.warnings if "declared" in w]
    assert warning.startswith("control nightly-20261201 is declared like nightly-20260408 (commit 0123abcd)")


def test_a_declared_client_that_follows_the_leader_runs_on_a_multi_node_ledger(raw: dict[str, Any]) -> None:
    declare(raw, follows_leader=True)
    clients = plan_region(parse_topology(raw), "eu-central-1").clients
    assert clients is not None
    assert (clients.control.replicas, clients.control.hold) == (2, None)
    assert clients.control.writes.endswith("follows Ledger's NotLeader answers")


@pytest.mark.parametrize(
    ("fields", "fragment"),
    [
        ({"tag": "nightly-20260408"}, "images.declared.0.tag: control nightly-20260408 is a known build"),
        ({"like": "nightly-20990101"}, "images.declared.0.like: 'nightly-20990101' is not a known control build"),
        ({"commit": "main"}, "images.declared.0.commit"),
    ],
)
def test_a_bad_declaration_names_its_field(raw: dict[str, Any], fields: dict[str, Any], fragment: str) -> None:
    declare(raw, **fields)
    rejects(raw, fragment)


def test_a_declaration_cannot_borrow_a_refused_build(raw: dict[str, Any]) -> None:
    declare(raw, component="ledger", like="nightly-20260430")
    raw["images"]["ledger"] = "ghcr.io/inferadb/ledger:nightly-20261201"
    raw["images"]["control"] = "ghcr.io/inferadb/control:nightly-20260408"
    rejects(raw, "images.declared.0.like: ledger nightly-20260430 is refused")


def test_client_access_names_a_host_in_its_zone_and_controls_urls_follow_it(raw: dict[str, Any]) -> None:
    raw["control"]["access"] = {"hostname": "app.example.org", "public_zone": "example.com"}
    rejects(raw, "control.access.hostname app.example.org is not in control.access.public_zone example.com")
    raw["control"]["access"] = {"hostname": "login.example.com", "public_zone": "example.com"}
    rejects(raw, "control.frontend_url and control.webauthn_origin must be https://login.example.com")
    raw["control"]["access"] = {"hostname": "app.example.com", "public_zone": "example.com"}
    access = plan_region(parse_topology(raw), "eu-central-1").clients.control.access  # type: ignore[union-attr]
    assert access is not None
    assert (access.failover_role, access.internet_facing, access.node_port) == ("SECONDARY", True, 30990)
