"""List prices the monthly estimate uses: transcribed values, each with its source and the date read.

The table is `data/prices.csv` (docs/costs.md says how to refresh it). Rows:

- EC2 on-demand per instance-hour, by region: SkyPilot's catalog `catalogs/v7/aws/vms.csv` at a pinned
  commit (built by a bot from AWS's regional price files; the file shows no date of its own).
- Services (EKS, NAT gateway, NLB, EBS gp3, KMS, CloudWatch Logs, public IPv4, Route 53), us-east-1
  only: Infracost's golden test files and the finops-mcp package, which cite the AWS Price List.
  No source for other regions was found: those lines are priced at the us-east-1 figure and say so.
- Inter-region transfer out, per source region: Infracost's `data_transfer_test` golden file.

`status` is `sourced` (one source), `cross-checked` (a second source, `data/prices_crosscheck.csv`,
agrees; a test keeps it so) or `unknown` (listed so the estimate can name it, never given a value).
"""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass
from pathlib import Path

HOURS_PER_MONTH = 730  # AWS's own monthly convention (and Infracost's): 8760 / 12
FALLBACK_REGION = "us-east-1"
STATUSES = frozenset({"sourced", "cross-checked", "unknown"})
_DATA = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class Price:
    service: str
    dimension: str
    region: str
    unit: str
    usd: float | None
    source: str
    source_date: str
    """The date the source itself shows, or empty when it shows none."""
    read_date: str
    status: str


@dataclass(frozen=True)
class Quote:
    """A price found for a region: its own, or the us-east-1 figure (`fallback`), or none."""

    price: Price | None
    fallback: bool = False

    @property
    def label(self) -> str:
        if self.price is None:
            return "unknown"
        return f"{FALLBACK_REGION} price" if self.fallback else self.price.status


def _read(name: str) -> list[dict[str, str]]:
    with (_DATA / name).open(newline="") as handle:
        return list(csv.DictReader(handle))


@functools.cache
def price_table() -> tuple[Price, ...]:
    return tuple(
        Price(
            row["service"],
            row["dimension"],
            row["region"],
            row["unit"],
            float(row["usd"]) if row["usd"] else None,
            row["source"],
            row["source_date"],
            row["read_date"],
            row["status"],
        )
        for row in _read("prices.csv")
    )


@functools.cache
def cross_checks() -> dict[tuple[str, str, str], tuple[float, str]]:
    """(service, dimension, region) -> (USD, source) from a second, independent source."""
    return {
        (r["service"], r["dimension"], r["region"]): (float(r["usd"]), r["source"])
        for r in _read("prices_crosscheck.csv")
    }


@functools.cache
def _index() -> dict[tuple[str, str, str], Price]:
    return {(p.service, p.dimension, p.region): p for p in price_table()}


def quote(service: str, dimension: str, region: str, fallback: bool = False) -> Quote:
    """The region's own price; with `fallback`, else the us-east-1 figure (labelled as such)."""
    own = _index().get((service, dimension, region))
    if own is not None and own.usd is not None:
        return Quote(own)
    if fallback:
        east = _index().get((service, dimension, FALLBACK_REGION))
        if east is not None and east.usd is not None:
            return Quote(east, fallback=region != FALLBACK_REGION)
    return Quote(None)
