"""The Raft arithmetic: voters, quorum, and which losses keep quorum."""

from __future__ import annotations

from inferadb.analysis.failure_domains import FailureDomains, RegionVoters


def domains(*regions: tuple[str, int, int]) -> FailureDomains:
    return FailureDomains(tuple(RegionVoters(name, voters, zones) for name, voters, zones in regions))


def test_three_plus_three_survives_a_node_and_a_zone_but_no_region() -> None:
    d = domains(("us-west-1", 3, 2), ("eu-central-1", 3, 3))
    assert (d.voters, d.quorum) == (6, 4)
    assert d.node_loss().survives
    # us-west-1 has two zones: its fullest zone holds 2 of the 3 pods, leaving 4 of 6.
    assert d.zone_loss("us-west-1").remaining == 4
    assert d.zone_loss("us-west-1").survives
    assert d.zone_loss("eu-central-1").remaining == 5
    assert not d.region_loss("us-west-1").survives
    assert not d.region_loss("eu-central-1").survives
    assert [s.name for s in d.unsurvivable_regions()] == ["region us-west-1", "region eu-central-1"]


def test_a_witness_makes_every_region_loss_survivable() -> None:
    d = domains(("us-west-1", 3, 2), ("eu-central-1", 3, 3), ("us-east-2", 1, 2))
    assert (d.voters, d.quorum) == (7, 4)
    assert [s.remaining for s in (d.region_loss(r.region) for r in d.regions)] == [4, 4, 6]
    assert d.unsurvivable_regions() == []


def test_five_plus_five_still_cannot_lose_a_region() -> None:
    d = domains(("us-west-1", 5, 2), ("eu-central-1", 5, 3))
    assert (d.voters, d.quorum) == (10, 6)
    assert d.zone_loss("us-west-1").remaining == 7  # ceil(5/2) = 3 pods in the fullest zone
    assert d.region_loss("us-west-1").remaining == 5
    assert not d.region_loss("us-west-1").survives


def test_single_region_survives_a_node_but_not_itself() -> None:
    d = domains(("us-west-1", 3, 2))
    assert (d.voters, d.quorum) == (3, 2)
    assert d.node_loss().survives
    assert d.zone_loss("us-west-1").remaining == 1
    assert not d.zone_loss("us-west-1").survives
    assert not d.region_loss("us-west-1").survives


def test_single_node_dev_cluster_survives_nothing() -> None:
    d = domains(("us-west-1", 1, 2))
    assert (d.voters, d.quorum) == (1, 1)
    assert not d.node_loss().survives


def test_non_voting_regions_do_not_count_toward_quorum() -> None:
    d = domains(("us-west-1", 3, 2), ("eu-central-1", 0, 3))
    assert (d.voters, d.quorum) == (3, 2)
    assert d.region_loss("eu-central-1").survives


def test_table_shows_every_scenario_with_its_arithmetic() -> None:
    # Every row, in order: a missing AZ row or a wrong verdict changes the table.
    rows = domains(("us-west-1", 3, 2), ("eu-central-1", 3, 3)).table().splitlines()
    assert rows[0] == "Ledger voters: us-west-1=3 over 2 AZ, eu-central-1=3 over 3 AZ; total 6, quorum 4"
    assert [row.split() for row in rows[1:]] == [
        ["loss", "voters", "left", "keeps", "quorum"],
        ["one", "Ledger", "node", "5", "of", "6", "yes"],
        ["node", "replaced,", "old", "id", "kept", "6", "of", "7", "yes"],
        ["one", "AZ", "of", "us-west-1", "4", "of", "6", "yes"],
        ["one", "AZ", "of", "eu-central-1", "5", "of", "6", "yes"],
        ["partition", "us-west-1", "|", "eu-central-1", "3", "of", "6", "NO"],
        ["region", "us-west-1", "3", "of", "6", "NO"],
        ["region", "eu-central-1", "3", "of", "6", "NO"],
    ]


def test_a_replaced_node_counts_twice_until_ledger_removes_the_old_one() -> None:
    # 3 + 3 voters: the replacement joins as a 7th voter while the dead 6th is still a member.
    domains = FailureDomains((RegionVoters("a", 3, 2), RegionVoters("b", 3, 3)))
    scenario = domains.replacement()
    assert (scenario.members, scenario.remaining, scenario.quorum) == (7, 6, 4)
    assert scenario.survives
    assert "node replaced, old id kept       6 of 7    yes" in domains.table()


def test_under_tailscale_a_router_per_zone_makes_a_router_loss_a_zone_loss() -> None:
    # Each zone's router carries only its zone: losing it cuts off that zone's voters, no more.
    shipped = FailureDomains((RegionVoters("a", 3, 2, routed=True), RegionVoters("b", 3, 3, routed=True)))
    assert [(s.name, s.remaining, s.survives) for s in (shipped.router_loss("a"), shipped.zone_loss("a"))] == [
        ("one router of a", 4, True),
        ("one AZ of a", 4, True),
    ]
    assert shipped.router_loss("b").remaining == 5
    peered = FailureDomains((RegionVoters("a", 3, 2), RegionVoters("b", 3, 3)))
    assert not any(s.name.startswith("one router") for s in peered.scenarios())


def test_a_partition_is_a_row_of_its_own() -> None:
    shipped = FailureDomains((RegionVoters("a", 3, 2, routed=True), RegionVoters("b", 3, 3, routed=True)))
    assert (shipped.partition("a", "b").remaining, shipped.partition("a", "b").survives) == (3, False)
    # A third region with voters still reaches both sides of a partition: its leader keeps all 7.
    witness = FailureDomains(
        (RegionVoters("a", 3, 2, True), RegionVoters("b", 3, 3, True), RegionVoters("w", 1, 2, True))
    )
    assert witness.partition("a", "b").remaining == 7
    # Without a third region's voter, a partition leaves the larger side only.
    lopsided = FailureDomains((RegionVoters("a", 5, 3), RegionVoters("b", 3, 3), RegionVoters("n", 0, 1)))
    assert (lopsided.partition("a", "b").remaining, lopsided.partition("a", "b").survives) == (5, True)
