"""The locks pin, with hashes, every requirement the requirements files name, at a version they allow."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
LOCKS = {
    "requirements.lock": ["requirements.txt", "requirements-dev.txt", "policies/requirements.txt"],
    "policies/requirements.lock": ["policies/requirements.txt"],
    "requirements-uv.lock": ["requirements-uv.txt"],
}
PIN = re.compile(r"^([A-Za-z0-9_.-]+)==([^ \\]+) \\\n((?:    --hash=sha256:[0-9a-f]{64}(?: \\)?\n)+)", re.M)


def pins(lock: str) -> dict[str, str]:
    return {canonicalize_name(m.group(1)): m.group(2) for m in PIN.finditer((ROOT / lock).read_text())}


def requirements(path: str) -> list[Requirement]:
    lines = (line.split("#", 1)[0].strip() for line in (ROOT / path).read_text().splitlines())
    return [Requirement(line) for line in lines if line]


@pytest.mark.parametrize("lock", sorted(LOCKS))
def test_every_requirement_is_pinned_with_hashes_within_its_range(lock: str) -> None:
    pinned = pins(lock)
    for source in LOCKS[lock]:
        for requirement in requirements(source):
            name = canonicalize_name(requirement.name)
            assert name in pinned, f"{source}: {requirement.name} is not in {lock}; run `make lock`"
            assert requirement.specifier.contains(pinned[name]), (
                f"{lock} pins {requirement.name}=={pinned[name]}, outside {source}'s {requirement.specifier}; "
                f"run `make lock`"
            )


def test_every_line_of_the_lock_carries_a_hash() -> None:
    text = (ROOT / "requirements.lock").read_text()
    assert len(pins("requirements.lock")) == len(re.findall(r"^[A-Za-z0-9_.-]+==", text, re.M))
