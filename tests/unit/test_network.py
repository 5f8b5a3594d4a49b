"""RegionNetwork as it would be deployed: subnets per zone, routing, tags, hygiene."""

from __future__ import annotations

import pytest

from inferadb.components.network.network import subnet_plan
from tests.recorded import StackPlan

SUBNET = "aws:ec2/subnet:Subnet"


def subnets(stack: StackPlan, tier: str) -> list[dict]:
    return [s for s in stack.of_type(SUBNET) if f"-{tier}-" in s["name"]]


def test_subnet_plan_fits_six_zones_in_a_slash_twenty() -> None:
    plan = subnet_plan("10.0.0.0/20", 6)
    assert [p.private for p in plan][:2] == ["10.0.0.0/23", "10.0.2.0/23"]
    assert plan[0].public == "10.0.14.0/26"
    with pytest.raises(ValueError, match="at most 7 zones"):
        subnet_plan("10.0.0.0/16", 8)
