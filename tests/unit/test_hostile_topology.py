"""Values a hostile or careless topology carries: each is rejected, naming the field, before any
resource is declared."""

from __future__ import annotations

import pytest

from inferadb.model.topology import TopologyError, parse_topology
from tests.hostile import HOSTILE, Raw


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_a_hostile_value_is_rejected_naming_its_field(raw: Raw, case: str) -> None:
    change, field = HOSTILE[case]
    change(raw)
    with pytest.raises(TopologyError) as caught:
        parse_topology(raw)
    assert field in str(caught.value)


def test_the_shipped_values_still_pass(raw: Raw) -> None:
    assert parse_topology(raw).regions["us-west-1"].priority == 1
