"""Every validation rule rejects a topology that breaks it, with a message naming field and fix."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from inferadb.model.topology import TopologyError, load_topology, parse_topology

ROOT = Path(__file__).resolve().parents[2]


def rejects(raw: dict[str, Any], *fragments: str) -> str:
    with pytest.raises(TopologyError) as caught:
        parse_topology(raw)
    message = str(caught.value)
    for fragment in fragments:
        assert fragment in message, message
    return message


def test_shipped_topology_is_the_seed_deployment() -> None:
    topology = load_topology(ROOT / "topology.yaml")
    assert [r.id for r in topology.ordered_regions()] == ["us-west-1", "eu-central-1"]
    assert topology.primary.id == "us-west-1"
    assert topology.regions["eu-central-1"].role == "dr"
    assert topology.connectivity.mode == "tailscale"
    assert [topology.ledger_replicas(r) for r in topology.ordered_regions()] == [3, 3]
    assert topology.workloads.engine == 3
    assert topology.workloads.control_replicas == 2
    # Honest about the seed's failover claim: 3+3 cannot elect a leader after losing a region.
    assert topology.failover == "manual"


EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))


def test_the_examples_folder_is_not_empty() -> None:
    # Without this, an emptied folder would make the test below silently collect nothing.
    assert len(EXAMPLES) >= 2


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_examples_are_valid(example: Path) -> None:
    topology = load_topology(example)
    assert topology.primary.role == "primary"
    assert topology.failure_domains().voters >= 1


def test_unknown_keys_are_errors(raw: dict[str, Any]) -> None:
    raw["regions"]["eu-central-1"]["vpc_cdir"] = "10.30.0.0/16"
    rejects(raw, "regions.eu-central-1.vpc_cdir: unknown field")


def test_cidr_must_be_valid(raw: dict[str, Any]) -> None:
    raw["regions"]["us-west-1"]["vpc_cidr"] = "10.10.0.300/16"
    rejects(raw, "regions.us-west-1.vpc_cidr")


def test_cidr_size_leaves_room_for_subnets(raw: dict[str, Any]) -> None:
    raw["regions"]["us-west-1"]["vpc_cidr"] = "10.10.0.0/24"
    rejects(raw, "regions.us-west-1.vpc_cidr", "/16 to /20")


def test_cidrs_are_pairwise_disjoint(raw: dict[str, Any]) -> None:
    raw["regions"]["eu-central-1"]["vpc_cidr"] = "10.10.128.0/17"
    rejects(raw, "regions.eu-central-1.vpc_cidr 10.10.128.0/17 overlaps us-west-1 (10.10.0.0/16)")


def test_cidrs_avoid_the_tailnet_range_under_tailscale(raw: dict[str, Any]) -> None:
    raw["regions"]["eu-central-1"]["vpc_cidr"] = "100.100.0.0/16"
    rejects(raw, "regions.eu-central-1.vpc_cidr", "100.64.0.0/10")


def test_tailnet_range_is_allowed_under_peering(raw: dict[str, Any]) -> None:
    raw["regions"]["eu-central-1"]["vpc_cidr"] = "100.100.0.0/16"
    raw["connectivity"] = {"mode": "peering"}
    assert parse_topology(raw).connectivity.mode == "peering"


def test_connectivity_mode_is_a_closed_choice(raw: dict[str, Any]) -> None:
    raw["connectivity"] = {"mode": "wireguard"}
    rejects(raw, "connectivity", "tailscale", "peering")


def test_settings_belong_to_their_mode(raw: dict[str, Any]) -> None:
    raw["connectivity"] = {"mode": "peering", "tailnet": "-"}
    rejects(raw, "connectivity.tailnet: unknown field")


def test_priorities_are_unique(raw: dict[str, Any]) -> None:
    raw["regions"]["eu-central-1"]["priority"] = 1
    rejects(raw, "regions.", "priority 1 is already used", "must be unique")


def test_exactly_one_priority_one(raw: dict[str, Any]) -> None:
    raw["regions"]["us-west-1"]["priority"] = 3
    rejects(raw, "no region has priority 1")


def test_priority_one_is_the_only_primary(raw: dict[str, Any]) -> None:
    raw["regions"]["eu-central-1"]["role"] = "primary"
    rejects(raw, "regions.us-west-1.role", "only one with role 'primary'")


def test_region_ids_are_known_aws_regions(raw: dict[str, Any]) -> None:
    raw["regions"]["eu-middle-9"] = raw["regions"].pop("eu-central-1")
    rejects(raw, "regions.eu-middle-9.id", "not a known AWS region")


def test_region_key_and_id_agree(raw: dict[str, Any]) -> None:
    raw["regions"]["eu-central-1"]["id"] = "eu-west-1"
    rejects(raw, "regions.eu-central-1.id is 'eu-west-1'")


def test_zone_count_respects_the_region(raw: dict[str, Any]) -> None:
    raw["regions"]["us-west-1"]["availability_zones"] = 3
    rejects(raw, "regions.us-west-1", "us-west-1 offers 2")


def test_zone_names_belong_to_the_region(raw: dict[str, Any]) -> None:
    raw["regions"]["us-west-1"]["availability_zones"] = ["us-west-1a", "us-west-2b"]
    rejects(raw, "regions.us-west-1", "'us-west-2b' is not a zone of us-west-1")


def test_explicit_zone_names_are_accepted(raw: dict[str, Any]) -> None:
    raw["regions"]["us-west-1"]["availability_zones"] = ["us-west-1b", "us-west-1c"]
    assert parse_topology(raw).regions["us-west-1"].zone_count == 2


def test_ledger_instance_types_have_local_nvme(raw: dict[str, Any]) -> None:
    raw["regions"]["eu-central-1"]["node_groups"]["ledger"]["instance_types"] = ["m6i.xlarge"]
    rejects(raw, "regions.eu-central-1.node_groups.ledger", "m6i.xlarge has no local NVMe")


def test_general_group_is_required_where_engine_runs(raw: dict[str, Any]) -> None:
    del raw["regions"]["eu-central-1"]["node_groups"]["general"]
    rejects(raw, "regions.eu-central-1", "node_groups.general is required")


def test_node_group_sizes_are_ordered(raw: dict[str, Any]) -> None:
    raw["regions"]["us-west-1"]["node_groups"]["general"]["desired_size"] = 9
    rejects(raw, "regions.us-west-1.node_groups.general", "min_size <= desired_size <= max_size")


@pytest.mark.parametrize("image", ["ghcr.io/inferadb/ledger:latest", "ghcr.io/inferadb/ledger"])
def test_images_are_pinned(raw: dict[str, Any], image: str) -> None:
    raw["images"]["ledger"] = image
    rejects(raw, "images.ledger", "pin a version")


def test_images_may_pin_a_digest_beside_their_tag(raw: dict[str, Any]) -> None:
    raw["images"]["engine"] = "ghcr.io/inferadb/engine:nightly-20260206@sha256:" + "ab" * 32
    assert parse_topology(raw).images.engine.endswith("ab" * 32)


def test_a_digest_without_a_tag_does_not_say_which_settings_apply(raw: dict[str, Any]) -> None:
    raw["images"]["engine"] = "ghcr.io/inferadb/engine@sha256:" + "ab" * 32
    rejects(raw, "images.engine", "without a tag", "<repository>:<tag>@sha256:<digest>")


def test_ledger_jurisdiction_is_a_known_ledger_region(raw: dict[str, Any]) -> None:
    raw["regions"]["us-west-1"]["ledger_jurisdiction"] = "us-west-1"
    rejects(raw, "regions.us-west-1.ledger_jurisdiction", "not a Ledger region", "us-west-or")


def test_replicas_agree_with_redundancy(raw: dict[str, Any]) -> None:
    raw["ledger"]["replicas_per_region"] = 5
    rejects(raw, "ledger.replicas_per_region is 5", "redundancy 'double' means 3")


def test_single_redundancy_only_outside_production(raw: dict[str, Any]) -> None:
    raw["ledger"]["redundancy"] = "single"
    rejects(raw, "ledger.redundancy 'single'", "dev only")
    raw["environment"] = "dev"
    assert parse_topology(raw).ledger.replicas == 1


def test_engine_replicas_respect_the_workload_size(raw: dict[str, Any]) -> None:
    raw["workloads"] = {"size": "large", "engine_replicas": 5}
    rejects(raw, "workloads.engine_replicas 5", "'large' size's 7")


def test_ledger_pool_holds_one_pod_per_node(raw: dict[str, Any]) -> None:
    # Five replicas per region on a pool of three nodes: two pods would stay Pending.
    raw["ledger"]["redundancy"] = "triple"
    for region in raw["regions"].values():
        region["node_groups"]["ledger"]["max_size"] = 6
    rejects(raw, "regions.us-west-1.node_groups.ledger.desired_size 3 cannot hold 5 Ledger pods")
    for region in raw["regions"].values():
        region["node_groups"]["ledger"].update(desired_size=5, max_size=4, min_size=3)
    rejects(raw, "node_groups.ledger")  # desired above max is refused by the group itself
    for region in raw["regions"].values():
        region["node_groups"]["ledger"].update(desired_size=5, max_size=5)
    parse_topology(raw)


def test_automatic_failover_needs_a_survivable_region_loss(raw: dict[str, Any]) -> None:
    raw["failover"] = "automatic"
    message = rejects(raw, "regions.us-west-1: failover is 'automatic'")
    assert "losing us-west-1 leaves 3 of 6 Ledger voters (quorum is 4)" in message
    assert "Add a witness region or set failover: manual." in message


def test_a_witness_region_makes_automatic_failover_valid(raw: dict[str, Any]) -> None:
    raw["failover"] = "automatic"
    raw["regions"]["us-east-2"] = {
        "priority": 3,
        "role": "witness",
        "vpc_cidr": "10.30.0.0/16",
        "availability_zones": 2,
        "kubernetes_version": "1.35",
        "ledger_jurisdiction": "us-east-va",
        "node_groups": {"ledger": {"instance_types": ["m6id.large"], "min_size": 1, "desired_size": 1, "max_size": 2}},
    }
    topology = parse_topology(raw)
    assert topology.failure_domains().voters == 7


def test_every_error_is_reported_at_once(raw: dict[str, Any]) -> None:
    raw["images"]["control"] = "ghcr.io/inferadb/control:latest"
    raw["regions"]["us-west-1"]["kubernetes_version"] = "latest"
    message = rejects(raw, "images.control", "regions.us-west-1.kubernetes_version")
    # two mistakes, then the pointer to the field reference
    assert message.count("topology.yaml:") == 3


def test_unreadable_file_is_a_topology_error(tmp_path: Path) -> None:
    with pytest.raises(TopologyError, match="cannot read"):
        load_topology(tmp_path / "missing.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("regions: [unclosed")
    with pytest.raises(TopologyError, match="not valid YAML"):
        load_topology(bad)


def test_models_are_frozen() -> None:
    topology = load_topology(ROOT / "topology.yaml")
    with pytest.raises(ValueError, match="frozen"):
        topology.regions["us-west-1"].priority = 2  # type: ignore[misc]


def test_digest_ignores_comments_and_order(tmp_path: Path) -> None:
    text = (ROOT / "topology.yaml").read_text()
    reordered = tmp_path / "t.yaml"
    reordered.write_text("# another comment\n" + text)
    assert load_topology(reordered).digest() == load_topology(ROOT / "topology.yaml").digest()


def test_ledger_group_uses_one_architecture(raw: dict[str, Any]) -> None:
    raw["regions"]["us-west-1"]["node_groups"]["ledger"]["instance_types"] = ["i4i.xlarge", "i4g.xlarge"]
    rejects(raw, "regions.us-west-1.node_groups.ledger", "mix architectures (arm64, x86_64)")


def test_imds_hop_limit_is_one_or_two(raw: dict[str, Any]) -> None:
    raw["regions"]["us-west-1"]["node_groups"]["general"]["imds_hop_limit"] = 3
    rejects(raw, "regions.us-west-1.node_groups.general.imds_hop_limit")


def test_addons_are_all_pinned(raw: dict[str, Any]) -> None:
    del raw["eks"]["addons"]["coredns"]
    rejects(raw, "eks.addons must pin a version for coredns")
    raw["eks"]["addons"]["coredns"] = "latest"
    rejects(raw, "eks.addons.coredns 'latest' is not an EKS add-on version")


def test_kube_proxy_matches_the_cluster_version(raw: dict[str, Any]) -> None:
    raw["regions"]["eu-central-1"]["kubernetes_version"] = "1.32"
    rejects(raw, "regions.eu-central-1.kubernetes_version 1.32 does not match eks.addons.kube-proxy")


def test_api_endpoint_is_never_open_to_the_internet(raw: dict[str, Any]) -> None:
    raw["eks"]["api_access"]["public_cidrs"] = ["0.0.0.0/0"]
    rejects(raw, "eks.api_access.public_cidrs", "opens the API endpoint to the internet")


def test_admins_are_iam_principals(raw: dict[str, Any]) -> None:
    raw["eks"]["admins"] = ["platform-admin"]
    rejects(raw, "eks.admins", "is not an IAM role or user ARN")


def test_peering_still_needs_disjoint_cidrs(raw: dict[str, Any]) -> None:
    raw["connectivity"] = {"mode": "peering"}
    raw["regions"]["eu-central-1"]["vpc_cidr"] = "10.10.0.0/16"
    rejects(raw, "regions.eu-central-1.vpc_cidr 10.10.0.0/16 overlaps us-west-1")


@pytest.mark.parametrize(
    ("block", "field", "value"),
    [
        ("connectivity", "ledger_outbound", "socks5"),
        ("connectivity", "magic_dns_suffix", "tail1234.ts.net"),
        ("images", "tailscale", "ghcr.io/tailscale/tailscale:v1.84.3"),
    ],
)
def test_a_field_of_the_sidecar_design_says_it_is_retired(
    raw: dict[str, Any], block: str, field: str, value: str
) -> None:
    raw[block][field] = value
    rejects(raw, f"{block}.{field} is no longer used", "remove it")


def test_the_router_type_is_an_instance_type(raw: dict[str, Any]) -> None:
    raw["connectivity"]["router_instance_type"] = "router.please"
    rejects(raw, "connectivity.router_instance_type", "not an EC2 instance type")


def test_worker_id_blocks_fit_ten_regions_at_most(raw: dict[str, Any]) -> None:
    template = raw["regions"]["eu-central-1"]
    extra = [
        "us-east-1",
        "us-east-2",
        "us-west-2",
        "eu-west-1",
        "eu-west-2",
        "eu-west-3",
        "eu-north-1",
        "ap-northeast-1",
        "ap-southeast-1",
    ]
    for i, region in enumerate(extra):
        raw["regions"][region] = {
            **template,
            "priority": i + 3,
            "vpc_cidr": f"10.{30 + i}.0.0/16",
            "availability_zones": 2,
        }
    rejects(raw, "11 regions do not fit Control's WORKER_ID space")


def test_an_image_tag_needs_a_known_settings_schema(raw: dict[str, Any]) -> None:
    raw["images"]["ledger"] = "ghcr.io/inferadb/ledger:0.1.1"  # never published
    rejects(raw, "images.ledger", "no settings schema for ledger tag '0.1.1'", "nightly-20260421, nightly-20260430")


def test_a_mirrored_image_keeps_its_tags_schema(raw: dict[str, Any]) -> None:
    raw["images"]["control"] = "123456789012.dkr.ecr.us-west-1.amazonaws.com/inferadb/control:nightly-20260408"
    assert parse_topology(raw).images.build("control").commit == "64b23b5"


def test_zone_names_are_distinct(raw: dict[str, Any]) -> None:
    raw["regions"]["eu-central-1"]["availability_zones"] = ["eu-central-1a", "eu-central-1a"]
    rejects(raw, "regions.eu-central-1", "distinct zone names")
