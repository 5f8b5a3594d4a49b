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


def test_under_tailscale_losing_a_routers_zone_cuts_its_region_off() -> None:
    # One subnet router per region: the zone holding it takes the whole region off the cluster.
    shipped = FailureDomains((RegionVoters("a", 3, 2, single_path=True), RegionVoters("b", 3, 3, single_path=True)))
    routed = shipped.zone_loss("a")
    assert routed.name == "one AZ of a (router)"
    assert (routed.remaining, routed.survives) == (3, False)  # b's 3 voters alone, quorum 4
    peered = FailureDomains((RegionVoters("a", 3, 2), RegionVoters("b", 3, 3))).zone_loss("a")
    assert (peered.remaining, peered.survives) == (4, True)
    witness = FailureDomains(
        (RegionVoters("a", 3, 2, True), RegionVoters("b", 3, 3, True), RegionVoters("w", 1, 2, True))
    )
    assert [witness.zone_loss(r).remaining for r in ("a", "b", "w")] == [4, 4, 6]
    assert all(witness.zone_loss(r).survives for r in ("a", "b", "w"))


def test_a_router_instance_and_a_partition_are_rows_of_their_own() -> None:
    # One router per region (Tailscale): losing the instance cuts the region off like its zone does.
    shipped = FailureDomains((RegionVoters("a", 3, 2, single_path=True), RegionVoters("b", 3, 3, single_path=True)))
    assert (shipped.router_loss("a").remaining, shipped.router_loss("a").survives) == (3, False)
    assert (shipped.partition("a", "b").remaining, shipped.partition("a", "b").survives) == (3, False)
    # A third region with voters still reaches both sides of a partition: its leader keeps all 7.
    witness = FailureDomains(
        (RegionVoters("a", 3, 2, True), RegionVoters("b", 3, 3, True), RegionVoters("w", 1, 2, True))
    )
    assert [witness.router_loss(r).remaining for r in ("a", "b", "w")] == [4, 4, 6]
    assert witness.partition("a", "b").remaining == 7
    # Without a third region's voter, a partition leaves the larger side only.
    lopsided = FailureDomains((RegionVoters("a", 5, 3), RegionVoters("b", 3, 3), RegionVoters("n", 0, 1)))
    assert (lopsided.partition("a", "b").remaining, lopsided.partition("a", "b").survives) == (5, True)
    peered = FailureDomains((RegionVoters("a", 3, 2), RegionVoters("b", 3, 3)))
    assert not any(s.name.startswith("router") for s in peered.scenarios())
