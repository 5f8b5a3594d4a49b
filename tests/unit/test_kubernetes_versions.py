"""Kubernetes versions against the EKS calendar: standard support, extended support on request, ended."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from inferadb.facts.eks_versions import CALENDAR
from inferadb.model import rules
from inferadb.model.topology import parse_topology
from inferadb.plan.region import plan_region
from tests.unit.test_topology import rejects


@pytest.fixture
def on(monkeypatch: pytest.MonkeyPatch) -> Any:
    def at(day: str) -> None:
        monkeypatch.setattr(rules, "today", lambda: datetime.date.fromisoformat(day))

    return at


def test_the_calendar_gives_every_version_14_months_then_12() -> None:
    for version in CALENDAR.values():
        assert 420 <= (version.end_of_standard - version.released).days <= 430, version.version
        assert 364 <= (version.end_of_extended - version.end_of_standard).days <= 366, version.version


def test_the_shipped_version_is_in_standard_support_today() -> None:
    assert CALENDAR["1.35"].support(datetime.date(2026, 12, 3)) == "standard"


def set_version(raw: dict[str, Any], version: str) -> None:
    for region in raw["regions"].values():
        region["kubernetes_version"] = version


def test_a_version_past_standard_support_needs_explicit_consent(raw: dict[str, Any], on: Any) -> None:
    on("2026-12-03")
    set_version(raw, "1.33")
    raw["eks"]["addons"]["kube-proxy"] = "v1.33.10-eksbuild.13"
    rejects(raw, "regions.us-west-1.kubernetes_version 1.33 left EKS standard support on 2026-07-29", "allow_extended")
    raw["eks"]["allow_extended_support"] = True
    plan = plan_region(parse_topology(raw), "us-west-1")
    assert plan.cluster.upgrade_support == "EXTENDED"


def test_a_version_past_extended_support_is_rejected(raw: dict[str, Any], on: Any) -> None:
    on("2027-08-01")
    set_version(raw, "1.33")
    raw["eks"]["addons"]["kube-proxy"] = "v1.33.10-eksbuild.13"
    raw["eks"]["allow_extended_support"] = True
    rejects(raw, "left EKS extended support on 2027-07-29")


def test_an_unknown_version_names_the_known_ones(raw: dict[str, Any], on: Any) -> None:
    on("2026-12-03")
    set_version(raw, "1.99")
    raw["eks"]["addons"]["kube-proxy"] = "v1.99.0-eksbuild.1"
    rejects(raw, "kubernetes_version 1.99 is not in the EKS release calendar", "1.35")


def test_standard_support_sets_the_standard_upgrade_policy(raw: dict[str, Any], on: Any) -> None:
    on("2026-12-03")
    assert plan_region(parse_topology(raw), "us-west-1").cluster.upgrade_support == "STANDARD"
