"""The generated diagrams: every region, voter count and cross-region path, and the copy in the docs."""

from __future__ import annotations

from pathlib import Path

import yaml

from docgen.__main__ import DOCS, with_table
from inferadb.model.topology import load_topology, parse_topology
from synth.diagrams import DIAGRAMS_HEADER, topology_markdown
from tests.recorded import StackPlan

ROOT = Path(__file__).resolve().parents[2]


def diagram(topology_path: Path, stacks: dict[str, StackPlan]) -> str:
    topology = load_topology(topology_path)
    return topology_markdown(topology, {region: plan.resources for region, plan in stacks.items()})


def test_the_shipped_diagrams_name_every_region_voter_and_path(us_west_1: StackPlan, eu_central_1: StackPlan) -> None:
    text = diagram(ROOT / "topology.yaml", {"us-west-1": us_west_1, "eu-central-1": eu_central_1})
    assert '"us-west-1 · primary · priority 1"' in text
    assert '"eu-central-1 · dr · priority 2"' in text
    assert '"us-west-1a: 2 Ledger voters"' in text  # 3 voters over us-west-1's two zones
    assert '"us-west-1c: 1 Ledger voter"' in text
    assert text.count('1 Ledger voter"') == 4  # eu-central-1 spreads its 3 over three zones
    assert "6 voters, quorum 4; does not survive the loss of any one region" in text
    assert 'us_west_1 <-->|"tailnet routers · TCP 50051"| eu_central_1' in text
    assert "us_west_1 --> eu_central_1" in text


def test_the_peering_diagram_draws_every_connection_with_its_port(peering: dict[str, StackPlan]) -> None:
    text = diagram(ROOT / "examples" / "peering.yaml", peering)
    for pair in ("eu_central_1 <-->", "us_east_2 <-->"):
        assert pair in text
    assert text.count('|"VPC peering · TCP 50051"|') == 3  # every pair of three regions
    assert "survives the loss of any one region" in text


def test_the_witness_diagram_counts_the_witness_voter(witness: dict[str, StackPlan]) -> None:
    text = diagram(ROOT / "examples" / "witness.yaml", witness)
    assert "us-east-2 · witness · priority 3" in text
    assert "7 voters, quorum 4; survives the loss of any one region" in text
    assert text.count("tailnet routers · TCP 50051") == 3


def test_the_architecture_page_embeds_the_shipped_diagrams(plan_dir: Path) -> None:
    written = (plan_dir / "topology.md").read_text()
    assert written.startswith(DIAGRAMS_HEADER)
    page = (DOCS / "architecture.md").read_text()
    fresh = with_table(page, "diagrams", written.removeprefix(DIAGRAMS_HEADER))
    assert fresh == page, "docs/architecture.md drifted from the shipped topology's diagrams: run `make docs`"


def test_a_changed_topology_changes_the_picture(us_west_1: StackPlan, eu_central_1: StackPlan) -> None:
    raw = yaml.safe_load((ROOT / "topology.yaml").read_text())
    raw["ledger"]["redundancy"] = "triple"
    for region in raw["regions"].values():
        region["node_groups"]["ledger"].update(min_size=5, desired_size=5, max_size=6)
    stacks = {"us-west-1": us_west_1.resources, "eu-central-1": eu_central_1.resources}
    assert "10 voters, quorum 6" in topology_markdown(parse_topology(raw), stacks)
