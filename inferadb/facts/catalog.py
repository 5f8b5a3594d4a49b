"""Reference data the topology is validated against: AWS regions, NVMe families, Ledger regions.

Plain data, no Pulumi imports. Each list says where it comes from; extend it here, not in callers.
"""

from __future__ import annotations

import re

from inferadb.facts.ledger_admin import REGION_NUMBERS

# Commercial AWS regions and the number of availability zones a typical account can use.
# us-west-1 offers two zones to most accounts (a third exists only for old accounts), so the
# product never assumes three. Source: AWS "Regions and Availability Zones" documentation.
AWS_REGION_ZONES: dict[str, int] = {
    "us-east-1": 6, "us-east-2": 3, "us-west-1": 2, "us-west-2": 4,
    "ca-central-1": 3, "ca-west-1": 3, "mx-central-1": 3, "sa-east-1": 3,
    "eu-central-1": 3, "eu-central-2": 3, "eu-west-1": 3, "eu-west-2": 3, "eu-west-3": 3,
    "eu-north-1": 3, "eu-south-1": 3, "eu-south-2": 3, "il-central-1": 3,
    "me-south-1": 3, "me-central-1": 3, "af-south-1": 3,
    "ap-east-1": 3, "ap-south-1": 3, "ap-south-2": 3, "ap-northeast-1": 3, "ap-northeast-2": 4,
    "ap-northeast-3": 3, "ap-southeast-1": 3, "ap-southeast-2": 3, "ap-southeast-3": 3,
    "ap-southeast-4": 3, "ap-southeast-5": 3, "ap-southeast-7": 3,
}  # fmt: skip

# Zone names offered to most accounts where they are not simply a, b, c... (us-west-1 skips b).
_ZONE_LETTERS: dict[str, str] = {"us-west-1": "ac", "ap-northeast-1": "acd"}


def default_zone_names(region: str) -> list[str]:
    """Zone names used offline (synth) when the topology gives only a count."""
    letters = _ZONE_LETTERS.get(region, "abcdef"[: AWS_REGION_ZONES.get(region, 3)])
    return [f"{region}{letter}" for letter in letters]


# Ledger "regions" are data-residency jurisdictions, not AWS regions (docs/sources.md): every slug of
# the pinned build's `enum Region` (inferadb/facts/ledger_admin.py). `global` is the control-plane
# group present on every node and the image's default.
LEDGER_REGIONS: frozenset[str] = frozenset(slug for slug in REGION_NUMBERS if slug != "unspecified")

# Instance families with local NVMe instance store (docs/sources.md): the storage-optimised families
# listed by name, plus every family whose attribute suffix carries `d` (m6id, c6id, r6id, m7gd,
# m5dn, z1d, ...).
_NVME_FAMILIES: frozenset[str] = frozenset({"i3", "i3en", "i4i", "i4g", "i7i", "i7ie", "i8g", "im4gn", "is4gen"})
_FAMILY = re.compile(r"^(?P<series>[a-z]+)(?P<generation>\d+)(?P<attributes>[a-z-]*)$")


# EC2 instance series letters (the part before the generation digit) and the sizes a type can have.
_SERIES: frozenset[str] = frozenset({
    "a", "c", "d", "dl", "f", "g", "gr", "h", "hpc", "i", "im", "inf", "is", "m", "mac", "p", "r", "t",
    "trn", "u", "vt", "x", "z",
})  # fmt: skip
_SIZE = re.compile(r"^(?:nano|micro|small|medium|large|metal|(?:\d{1,2})?xlarge|metal-\d{1,2}xl)$")


def is_instance_type(name: str) -> bool:
    """`m6i.large`-shaped, of a known series and size (a typo or an injected string is not)."""
    family, dot, size = name.partition(".")
    match = _FAMILY.fullmatch(family)
    return bool(dot and match and match.group("series") in _SERIES and _SIZE.fullmatch(size))


def architecture(instance_type: str) -> str:
    """`arm64` for Graviton families (a `g` attribute: m7gd, i4g, im4gn, is4gen), else `x86_64`."""
    match = _FAMILY.match(instance_family(instance_type))
    return "arm64" if match is not None and "g" in match.group("attributes") else "x86_64"


def instance_family(instance_type: str) -> str:
    return instance_type.split(".", 1)[0]


def has_local_nvme(instance_type: str) -> bool:
    """True when the instance type ships local NVMe instance-store disks."""
    family = instance_family(instance_type)
    if family in _NVME_FAMILIES:
        return True
    match = _FAMILY.match(family)
    # d2/d3/h1 (series letter d/h) are HDD instance store; only the `d` *attribute* means NVMe.
    return match is not None and "d" in match.group("attributes")
