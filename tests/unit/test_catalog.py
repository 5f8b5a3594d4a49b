"""Reference data: which instance types carry local NVMe, which are Graviton, zone names."""

from __future__ import annotations

import pytest

from inferadb.facts.catalog import architecture, default_zone_names, has_local_nvme


@pytest.mark.parametrize(
    "itype",
    [
        "i3.xlarge",
        "i3en.large",
        "i4i.2xlarge",
        "i4g.large",
        "i7ie.xlarge",
        "im4gn.large",
        "is4gen.medium",
        "m6id.large",
        "c6id.xlarge",
        "r6id.large",
        "m7gd.large",
        "m5dn.large",
        "z1d.large",
    ],
)
def test_nvme_families(itype: str) -> None:
    assert has_local_nvme(itype)


@pytest.mark.parametrize("itype", ["m6i.large", "c7g.large", "r5.xlarge", "d3.xlarge", "h1.2xlarge", "t3.micro"])
def test_families_without_nvme_instance_store(itype: str) -> None:
    assert not has_local_nvme(itype)  # d3/h1 carry HDDs, not NVMe


@pytest.mark.parametrize(
    ("itype", "arch"),
    [
        ("i4g.large", "arm64"),
        ("m7gd.large", "arm64"),
        ("im4gn.large", "arm64"),
        ("i4i.large", "x86_64"),
        ("g4dn.xlarge", "x86_64"),
        ("m6id.large", "x86_64"),
    ],
)
def test_architecture(itype: str, arch: str) -> None:
    assert architecture(itype) == arch


def test_us_west_1_has_two_zones_without_b() -> None:
    assert default_zone_names("us-west-1") == ["us-west-1a", "us-west-1c"]
