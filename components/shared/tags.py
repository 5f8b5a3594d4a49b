"""The Name tag the AWS console shows, on top of the region's base tags (inferadb/plan/tags.py)."""

from __future__ import annotations


def named(tags: dict[str, str], name: str, **extra: str) -> dict[str, str]:
    """`tags` plus a Name (what the AWS console shows) and any extra keys."""
    return {**tags, "Name": name, **extra}
