"""The subnet plan: every zone gets its subnets inside the VPC range."""

from __future__ import annotations

import pytest

from inferadb.analysis.subnets import subnet_plan


def test_subnet_plan_fits_six_zones_in_a_slash_twenty() -> None:
    plan = subnet_plan("10.0.0.0/20", 6)
    assert [p.private for p in plan][:2] == ["10.0.0.0/23", "10.0.2.0/23"]
    assert plan[0].public == "10.0.14.0/26"
    with pytest.raises(ValueError, match="at most 7 zones"):
        subnet_plan("10.0.0.0/16", 8)
