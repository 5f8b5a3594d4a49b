"""The part of Ledger's AdminService the bootstrap Job calls, as wire facts (field numbers and types).

Read in inferadb/ledger `proto/ledger/v1/ledger.proto` at 53c2112 (the pinned build): package
`ledger.v1`; `service AdminService` with GetNodeInfo, InitCluster, GetClusterInfo and ProvisionRegion;
the messages below; `enum Region` (data-residency slugs, `REGION_` + the slug in capitals with `_`
for `-`) and `enum ClusterMemberRole`. Ledger's gRPC reflection is off unless
`INFERADB__LEDGER__ENABLE_GRPC_REFLECTION` is set (`crates/server/src/config.rs`, "Disabled by
default to reduce the attack surface"), so the Job carries these definitions instead of asking the
server. Only what the Job reads is declared; protobuf skips the fields it does not know.
`ProvisionRegion` creates the data region's Raft group with the called node as its first member and
answers `created: false` when the region is already active (`crates/services/src/services/admin.rs`
`provision_region`); GLOBAL cannot be provisioned.
"""

from __future__ import annotations

PACKAGE = "ledger.v1"
SERVICE = "AdminService"

# (field name, number, type, label, type name for enums and messages)
Field = tuple[str, int, str, str, str | None]

MESSAGES: dict[str, tuple[Field, ...]] = {
    "GetNodeInfoRequest": (),
    "GetNodeInfoResponse": (
        ("node_id", 1, "uint64", "optional", None),
        ("address", 2, "string", "optional", None),
        ("is_cluster_member", 3, "bool", "optional", None),
        ("term", 4, "uint64", "optional", None),
        ("cluster_id", 5, "uint64", "optional", None),
        ("state", 6, "string", "optional", None),
    ),
    "InitClusterRequest": (),
    "InitClusterResponse": (
        ("initialized", 1, "bool", "optional", None),
        ("cluster_id", 2, "uint64", "optional", None),
        ("already_initialized", 3, "bool", "optional", None),
    ),
    "GetClusterInfoRequest": (),
    "ClusterMember": (
        ("node_id", 1, "uint64", "optional", None),
        ("address", 2, "string", "optional", None),
        ("role", 3, "enum", "optional", "ClusterMemberRole"),
        ("is_leader", 4, "bool", "optional", None),
    ),
    "GetClusterInfoResponse": (
        ("members", 1, "message", "repeated", "ClusterMember"),
        ("leader_id", 2, "uint64", "optional", None),
        ("term", 3, "uint64", "optional", None),
    ),
    "ProvisionRegionRequest": (("region", 1, "enum", "optional", "Region"),),
    "ProvisionRegionResponse": (
        ("created", 1, "bool", "optional", None),
        ("region", 2, "enum", "optional", "Region"),
    ),
}

METHODS: dict[str, tuple[str, str]] = {
    "GetNodeInfo": ("GetNodeInfoRequest", "GetNodeInfoResponse"),
    "InitCluster": ("InitClusterRequest", "InitClusterResponse"),
    "GetClusterInfo": ("GetClusterInfoRequest", "GetClusterInfoResponse"),
    "ProvisionRegion": ("ProvisionRegionRequest", "ProvisionRegionResponse"),
}

CLUSTER_MEMBER_ROLES = {
    "CLUSTER_MEMBER_ROLE_UNSPECIFIED": 0,
    "CLUSTER_MEMBER_ROLE_VOTER": 1,
    "CLUSTER_MEMBER_ROLE_LEARNER": 2,
}
VOTER = "CLUSTER_MEMBER_ROLE_VOTER"

REGION_NUMBERS = {
    "unspecified": 0, "global": 1,
    "us-east-va": 10, "us-west-or": 11, "ca-central-qc": 12,
    "br-southeast-sp": 20,
    "ie-east-dublin": 30, "fr-north-paris": 31, "de-central-frankfurt": 32, "se-east-stockholm": 33,
    "it-north-milan": 34,
    "uk-south-london": 40,
    "sa-central-riyadh": 50, "bh-central-manama": 51, "ae-central-dubai": 52, "il-central-tel-aviv": 53,
    "za-south-cape-town": 54, "ng-west-lagos": 55,
    "sg-central-singapore": 60, "au-east-sydney": 61, "id-west-jakarta": 62, "jp-east-tokyo": 63,
    "kr-central-seoul": 64, "in-west-mumbai": 65, "vn-south-hcmc": 66,
    "cn-north-beijing": 70,
}  # fmt: skip

CONTROL_DEFAULT_REGION = "us-east-va"
"""Where Control puts a user no region was asked for (inferadb/control 64b23b5,
`crates/api/src/handlers/email_auth.rs`: `Region::US_EAST_VA` by default)."""


def region_enum(slug: str) -> str:
    """The `Region` value name of a slug: `us-west-or` -> `REGION_US_WEST_OR`."""
    if slug not in REGION_NUMBERS:
        raise ValueError(f"'{slug}' is not a Ledger region of the pinned build")
    return "REGION_" + slug.upper().replace("-", "_")
