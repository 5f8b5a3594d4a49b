"""The price table: every row sourced and dated, the cross-checks agreeing, the estate's needs covered."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from inferadb.facts.prices import FALLBACK_REGION, STATUSES, cross_checks, price_table, quote

ROOT = Path(__file__).resolve().parents[2]


def test_every_row_has_a_source_a_read_date_and_a_status() -> None:
    rows = price_table()
    assert len(rows) > 200
    for row in rows:
        where = f"{row.service}/{row.dimension}/{row.region}"
        assert row.source, where
        assert "@" in row.source or row.source.startswith("SKU"), f"{where}: source names no version ({row.source})"
        datetime.date.fromisoformat(row.read_date)
        if row.source_date:
            datetime.date.fromisoformat(row.source_date)
        assert row.status in STATUSES, where
        assert row.unit, where
        assert (row.usd is None) == (row.status == "unknown"), (
            f"{where}: an unknown price has no value, a known one has"
        )
        assert row.usd is None or row.usd > 0, where


def test_no_price_is_listed_twice() -> None:
    keys = [(r.service, r.dimension, r.region) for r in price_table()]
    assert len(keys) == len(set(keys))


def test_the_us_east_1_cross_checks_still_agree() -> None:
    table = {(r.service, r.dimension, r.region): r for r in price_table()}
    checks = cross_checks()
    assert len(checks) >= 10
    for key, (usd, source) in checks.items():
        assert source
        assert key in table, f"{key} is cross-checked but not in the table"
        assert table[key].usd == pytest.approx(usd), f"{key}: {table[key].usd} against {usd} ({source})"
        assert table[key].status == "cross-checked"
    marked = {k for k, r in table.items() if r.status == "cross-checked"}
    assert marked == set(checks), "a row marked cross-checked has no second source"


def _topologies() -> list[dict[str, Any]]:
    return [
        yaml.safe_load(p.read_text()) for p in [ROOT / "topology.yaml", *sorted((ROOT / "examples").glob("*.yaml"))]
    ]


def test_every_instance_the_shipped_topology_and_examples_run_has_its_own_regions_price() -> None:
    missing = []
    for topology in _topologies():
        router = (topology.get("connectivity") or {}).get("router_instance_type", "t4g.small")
        for region, spec in topology["regions"].items():
            types = {t for pool in spec["node_groups"].values() for t in pool["instance_types"]}
            types.add(router)
            missing += [f"{t} in {region}" for t in types if quote("ec2", t, region).price is None]
    assert missing == []


def test_a_service_outside_us_east_1_is_quoted_at_its_us_east_1_figure_and_says_so() -> None:
    found = quote("nat-gateway", "gateway", "eu-central-1", fallback=True)
    assert found.price is not None
    assert found.price.region == FALLBACK_REGION
    assert found.label == "us-east-1 price"
    assert quote("nat-gateway", "gateway", "eu-central-1").price is None  # never without asking for it
    assert quote("ec2", "i4i.xlarge", "eu-central-1", fallback=True).label == "sourced"  # its own region's


def test_an_instance_type_without_a_price_is_unknown() -> None:
    assert quote("ec2", "x2iedn.metal", "us-west-1", fallback=True).label == "unknown"
