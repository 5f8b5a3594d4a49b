"""The offline engine: files, exit codes, stack references and secret redaction."""

from __future__ import annotations

import json
from pathlib import Path

from tests.recorded import StackPlan

ROOT = Path(__file__).resolve().parents[2]

RECORD_KEYS = {
    "urn",
    "type",
    "name",
    "parent",
    "dependencies",
    "provider",
    "protect",
    "retainOnDelete",
    "deleteBeforeReplace",
    "ignoreChanges",
    "props",
}


def test_every_stack_gets_its_files_and_the_estate_its_summary(plan_dir: Path) -> None:
    for stack in ("us-west-1", "eu-central-1"):
        assert {p.name for p in (plan_dir / stack).iterdir()} == {
            "resources.json",
            "manifests.yaml",
            "exports.json",
            "policy.json",
            "cost.json",
        }
    summary = json.loads((plan_dir / "summary.json").read_text())
    assert [r["id"] for r in summary["regions"]] == ["us-west-1", "eu-central-1"]
    assert (summary["voters"], summary["quorum"]) == (6, 4)


def test_records_carry_what_policies_and_reviewers_need(each_stack: StackPlan) -> None:
    for record in each_stack.resources:
        assert set(record) >= RECORD_KEYS, record["urn"]
    vpc = each_stack.one("aws:ec2/vpc:Vpc")
    assert vpc["props"]["enableDnsHostnames"] is True  # camelCase, as the engine and policies see it


def test_manifests_is_multi_document_yaml_of_kubernetes_objects(each_stack: StackPlan) -> None:
    manifests = each_stack.manifests
    assert manifests
    assert all(m.get("apiVersion") and m.get("kind") and m.get("metadata") for m in manifests)
    kubernetes = [r for r in each_stack.resources if r["type"].startswith("kubernetes:") and r["custom"]]
    secrets_out_of_band = (each_stack.directory / "manifests.yaml").read_text().count("kubectl create secret")
    assert len(manifests) + secrets_out_of_band == len(kubernetes)  # every object, or named in the header


def test_numbers_come_back_integral(us_west_1: StackPlan) -> None:
    assert us_west_1.exports["priority"] == 1
    assert isinstance(us_west_1.exports["priority"], int)


def test_later_region_reads_the_primary_through_a_stack_reference(
    eu_central_1: StackPlan, us_west_1: StackPlan
) -> None:
    reference = eu_central_1.one("pulumi:pulumi:StackReference")
    assert reference["props"]["name"] == "organization/inferadb/us-west-1"
    # The value travelled from us-west-1's recorded exports, through the reference, into an export.
    assert eu_central_1.exports["primary_topology_digest"] == us_west_1.exports["topology_digest"]


def test_primary_references_nobody(us_west_1: StackPlan) -> None:
    assert us_west_1.of_type("pulumi:pulumi:StackReference") == []


def test_any_topology_evaluates_with_or_without_stack_files(witness: dict[str, StackPlan]) -> None:
    witness_region = witness["us-east-2"]  # no Pulumi.us-east-2.yaml: region from the topology
    assert witness_region.one("pulumi:providers:aws")["props"]["region"] == "us-east-2"
    assert len(witness_region.of_type("pulumi:pulumi:StackReference")) == 2  # both earlier regions
    # A witness has only the tainted Ledger pool, so coredns must tolerate the taint to run at all.
    assert [g["props"]["labels"] for g in witness_region.of_type("aws:eks/nodeGroup:NodeGroup")] == [
        {"inferadb.io/pool": "ledger"}
    ]
    coredns = next(a for a in witness_region.of_type("aws:eks/addon:Addon") if a["props"]["addonName"] == "coredns")
    assert json.loads(coredns["props"]["configurationValues"])["tolerations"][0]["value"] == "ledger"


def test_the_printed_plan_names_what_it_holds_and_why(plan_dir: Path) -> None:
    printed = plan_dir.with_name(plan_dir.name + ".done").read_text()
    assert printed.count("  control  0 replicas  ghcr.io/inferadb/control:nightly-20260408") == 2
    assert printed.count("  control writes: cannot reach the leader: held at 0 replicas") == 2
    # Each warning once, in the closing summary, with the regions it applies to.
    warnings = printed.split("warnings (each once, with the regions it applies to):\n", 1)[1]
    assert printed.count("engine held at 0 replicas: engine nightly-20260206 speaks") == 1
    assert printed.count("control held at 0 replicas: control nightly-20260408 does not follow") == 1
    held = next(line for line in warnings.splitlines() if line.startswith("  control held at 0 replicas"))
    assert held.endswith("[us-west-1, eu-central-1]")
    assert "  control uses the reserved domain example.com" in warnings
    assert "warning: " not in printed


def test_the_printed_plan_shows_each_ledger_nodes_name_addresses_and_seed(plan_dir: Path) -> None:
    printed = plan_dir.with_name(plan_dir.name + ".done").read_text()
    assert "  ledger ADVERTISE inferadb-ledger-$(POD_INDEX).us-west-1.ledger.inferadb.internal:50051" in printed
    assert (
        "    inferadb-ledger-1.eu-central-1.ledger.inferadb.internal  10.20.31.225, 10.20.63.225, 10.20.95.225  "
        "seed 10.20.63.225:50051  :31052"
    ) in printed
    join = "  ledger JOIN (every region) 10.10.31.224:50051, 10.10.63.225:50051, 10.10.31.226:50051, 10.20.31.224:50051"
    assert printed.count(join) == 2


def test_the_printed_plan_says_whether_the_layout_outlives_a_region(
    plan_dir: Path, witness: dict[str, StackPlan]
) -> None:
    printed = plan_dir.with_name(plan_dir.name + ".done").read_text()
    assert printed.count("  outlives a region: NO, losing us-west-1 leaves 3 of 6 voters (quorum 4)") == 1
    assert "add a witness region" in printed
    out = witness["us-west-1"].directory.parent
    printed_witness = out.with_name(out.name + ".done").read_text()
    assert printed_witness.count("  outlives a region: yes") == 1
    assert "outlives a region: NO" not in printed_witness


def test_the_printed_plan_says_what_a_router_change_costs(plan_dir: Path) -> None:
    printed = plan_dir.with_name(plan_dir.name + ".done").read_text()
    assert "  router change: the 2 routers are replaced one zone at a time, the old one first" in printed
    assert "'one router of eu-central-1' row says, once per zone" in printed
