"""`python -m synth.prices`: the EC2 rows read again from a SkyPilot catalog file."""

from __future__ import annotations

import csv
import datetime
import shutil
from pathlib import Path

import pytest

from synth.prices import TABLE, main, refresh

HEADER = (
    "InstanceType,AcceleratorName,AcceleratorCount,vCPUs,MemoryGiB,GpuInfo,Price,SpotPrice,Region,AvailabilityZone\n"
)


@pytest.fixture
def table(tmp_path: Path) -> Path:
    """A copy of the shipped price table to refresh."""
    copy = tmp_path / "prices.csv"
    shutil.copy(TABLE, copy)
    return copy


def rows(table: Path) -> dict[tuple[str, str, str], dict[str, str]]:
    with table.open(newline="") as handle:
        return {(r["service"], r["dimension"], r["region"]): r for r in csv.DictReader(handle)}


def test_ec2_rows_are_read_again_and_services_are_kept(tmp_path: Path, table: Path) -> None:
    vms = tmp_path / "vms.csv"
    vms.write_text(
        HEADER
        + "i4i.xlarge,,,4.0,32.0,,0.5,0.1,us-west-1,usw1-az1\n"
        + "i4i.xlarge,,,4.0,32.0,,0.5,0.2,us-west-1,usw1-az3\n"
        + "i4i.xlarge,,,4.0,32.0,,0.343,0.1,us-east-1,use1-az1\n"
        + "c7i.large,,,2.0,4.0,,0.09,0.03,us-west-1,usw1-az1\n"
        + "z1d.large,,,2.0,16.0,,0.2,0.05,us-west-1,usw1-az1\n"
    )
    count = refresh(vms, "abc123", table, {"z1d.large"}, datetime.date(2027, 1, 5))
    assert count == 3  # i4i.xlarge twice, z1d.large added; c7i.large was neither listed nor asked for
    after = rows(table)
    west = after[("ec2", "i4i.xlarge", "us-west-1")]
    assert (west["usd"], west["read_date"], west["status"]) == ("0.5", "2027-01-05", "sourced")
    assert west["source"] == "skypilot-org/skypilot-catalog@abc123:catalogs/v7/aws/vms.csv"
    assert after[("ec2", "i4i.xlarge", "us-east-1")]["status"] == "cross-checked"
    assert ("ec2", "c7i.large", "us-west-1") not in after
    assert ("ec2", "m6i.large", "us-west-1") not in after  # no longer in the catalog: no row, never a guess
    assert after[("nat-gateway", "gateway", "us-east-1")] == rows(TABLE)[("nat-gateway", "gateway", "us-east-1")]


def test_two_prices_for_one_type_and_region_are_bad_input(tmp_path: Path, table: Path) -> None:
    vms = tmp_path / "vms.csv"
    vms.write_text(HEADER + "i4i.xlarge,,,4,32,,0.5,,us-west-1,a\n" + "i4i.xlarge,,,4,32,,0.6,,us-west-1,b\n")
    assert main([str(vms), "--commit", "abc", "--table", str(table)]) == 2
    assert table.read_text() == TABLE.read_text()  # nothing written


def test_nvme_adds_every_type_a_ledger_pool_may_run(tmp_path: Path, table: Path) -> None:
    vms = tmp_path / "vms.csv"
    vms.write_text(
        HEADER
        + "i7ie.large,,,2.0,16.0,,0.3105,0.1,eu-central-1,euc1-az1\n"
        + "r6id.large,,,2.0,16.0,,0.15,0.05,eu-central-1,euc1-az1\n"
        + "r6i.large,,,2.0,16.0,,0.13,0.05,eu-central-1,euc1-az1\n"
    )
    assert main([str(vms), "--commit", "abc", "--nvme", "--table", str(table)]) == 0
    after = rows(table)
    assert after[("ec2", "i7ie.large", "eu-central-1")]["usd"] == "0.3105"
    assert ("ec2", "r6id.large", "eu-central-1") in after
    assert ("ec2", "r6i.large", "eu-central-1") not in after  # no instance store
