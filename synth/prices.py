"""`python -m synth.prices VMS_CSV --commit SHA`: refresh the EC2 rows of the price table.

VMS_CSV is SkyPilot's `catalogs/v7/aws/vms.csv` as of COMMIT (the repository is large: fetch that
one file at that commit, docs/costs.md). Every EC2 row of `inferadb/facts/data/prices.csv` is read
again from it, `--type` adds instance types and `--nvme` every type with local NVMe (in every
region the catalog lists them). A type and
region the catalog no longer lists keeps no row: the estimate then says it cannot price it. Rows a
second source confirms stay `cross-checked`; the tests compare them with that source.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import sys
from pathlib import Path

from inferadb.facts.catalog import has_local_nvme
from inferadb.facts.exit_codes import BAD_INPUT, OK

TABLE = Path(__file__).resolve().parent.parent / "inferadb" / "facts" / "data" / "prices.csv"
CROSS_CHECKS = TABLE.with_name("prices_crosscheck.csv")
SOURCE = "skypilot-org/skypilot-catalog@{commit}:catalogs/v7/aws/vms.csv"


def on_demand(vms: Path, types: set[str], nvme: bool = False) -> dict[tuple[str, str], str]:
    """(instance type, region) -> on-demand USD per hour; the catalog lists a price per zone. With
    `nvme`, every type with local NVMe instance store too (what a Ledger pool may run)."""
    prices: dict[tuple[str, str], str] = {}
    with vms.open(newline="") as handle:
        for row in csv.DictReader(handle):
            wanted = row["InstanceType"] in types or (nvme and has_local_nvme(row["InstanceType"]))
            if not wanted or not row["Price"]:
                continue
            key = (row["InstanceType"], row["Region"])
            if prices.setdefault(key, row["Price"]) != row["Price"]:
                raise ValueError(
                    f"{vms}: {key[0]} in {key[1]} has two on-demand prices ({prices[key]}, {row['Price']})"
                )
    return prices


def refresh(vms: Path, commit: str, table: Path, added: set[str], read: datetime.date, nvme: bool = False) -> int:
    """Rewrite `table`'s EC2 rows from `vms`; returns how many EC2 rows it now has."""
    with table.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    with CROSS_CHECKS.open(newline="") as handle:
        checked = {(r["service"], r["dimension"], r["region"]) for r in csv.DictReader(handle)}
    types = {r["dimension"] for r in rows if r["service"] == "ec2"} | added
    kept = [r for r in rows if r["service"] != "ec2"]
    fresh = [
        {
            "service": "ec2",
            "dimension": instance_type,
            "region": region,
            "unit": "hour",
            "usd": usd,
            "source": SOURCE.format(commit=commit),
            "source_date": "",
            "read_date": read.isoformat(),
            "status": "cross-checked" if ("ec2", instance_type, region) in checked else "sourced",
        }
        for (instance_type, region), usd in on_demand(vms, types, nvme).items()
    ]
    every = sorted(kept + fresh, key=lambda r: (r["service"], r["dimension"], r["region"]))
    with table.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(every)
    return len(fresh)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m synth.prices", description=__doc__.splitlines()[0])
    parser.add_argument("vms", type=Path, help="SkyPilot's catalogs/v7/aws/vms.csv")
    parser.add_argument("--commit", required=True, help="the skypilot-catalog commit the file was read at")
    parser.add_argument("--type", action="append", default=[], help="an instance type to add; repeatable")
    parser.add_argument("--nvme", action="store_true", help="every type with local NVMe (a Ledger pool's choices)")
    parser.add_argument("--table", type=Path, default=TABLE, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    try:
        count = refresh(args.vms, args.commit, args.table, set(args.type), datetime.date.today(), args.nvme)
    except (OSError, ValueError, KeyError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return BAD_INPUT
    print(f"{args.table}: {count} EC2 prices from {SOURCE.format(commit=args.commit)}")
    return OK


if __name__ == "__main__":
    sys.exit(main())
