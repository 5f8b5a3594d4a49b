"""Small helpers for Pulumi outputs."""

from __future__ import annotations

from collections.abc import Callable


def item(index: int) -> Callable[[list[str]], str]:
    """For `output.apply(item(i))`: the i-th element of a list output (a zone name, a table id)."""
    return lambda values: values[index]
