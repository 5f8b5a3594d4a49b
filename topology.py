"""The multi-region topology: pydantic v2 schema, validation rules and failure-domain analysis.

`topology.yaml` is the single source of truth for every region. Everything here is plain data
(no Pulumi imports): `load_topology` parses and validates the file before any resource is declared,
and a bad file yields one `TopologyError` whose lines name the field path and the fix.
"""

from __future__ import annotations

import hashlib
import ipaddress
from pathlib import Path
from typing import Annotated, Any, Literal, Self

import yaml
from pydantic import Field, ValidationError, field_validator, model_validator

from catalog import AWS_REGION_ZONES, LEDGER_REGIONS, architecture, has_local_nvme
from failure_domains import FailureDomains, RegionVoters
from images import Images
from latency import Voters
from topology_eks import EksSettings
from topology_workloads import LedgerSettings, MonitoringSettings, StrictModel, Targets, WorkloadSettings

Environment = Literal["dev", "staging", "production"]
RegionRole = Literal["primary", "dr", "witness"]

TAILNET_CGNAT = ipaddress.IPv4Network("100.64.0.0/10")  # Tailscale's address range
WORKER_ID_BLOCK = 100  # Control WORKER_IDs (0-1023) per region; up to 10 regions


class TailscaleConnectivity(StrictModel):
    mode: Literal["tailscale"]
    tailnet: str = "-"
    magic_dns_suffix: str | None = Field(None, pattern=r"^[a-z0-9-]+\.ts\.net$")
    """e.g. `tail1234.ts.net`; unset: peers dial short MagicDNS names through the sidecar's proxy."""
    auth_key_expiry_seconds: int = Field(86400, ge=300, le=90 * 86400)
    ledger_outbound: Literal["socks5", "http-proxy"] = "socks5"
    overwrite_existing_policy: bool = False


class PeeringConnectivity(StrictModel):
    mode: Literal["peering"]
    engine_cross_region: bool = False


Connectivity = Annotated[TailscaleConnectivity | PeeringConnectivity, Field(discriminator="mode")]


class NodeGroup(StrictModel):
    instance_types: tuple[str, ...] = Field(min_length=1)
    min_size: int = Field(ge=0)
    desired_size: int = Field(ge=1)
    max_size: int = Field(ge=1)
    disk_size_gib: int = Field(50, ge=20, le=1000)
    imds_hop_limit: Literal[1, 2] = 1
    """1 keeps pods off the node's instance credentials; 2 only if a pod truly needs IMDS."""

    @model_validator(mode="after")
    def _one_architecture(self) -> Self:
        kinds = {architecture(t) for t in self.instance_types}
        if len(kinds) > 1:
            raise ValueError(
                f"instance_types mix architectures ({', '.join(sorted(kinds))}); one node group runs one AMI type, "
                f"so use one architecture per group"
            )
        return self

    @model_validator(mode="after")
    def _sizes_ordered(self) -> Self:
        if not self.min_size <= self.desired_size <= self.max_size:
            raise ValueError(
                f"sizes must satisfy min_size <= desired_size <= max_size, got "
                f"{self.min_size} / {self.desired_size} / {self.max_size}"
            )
        return self


class NodeGroups(StrictModel):
    ledger: NodeGroup
    general: NodeGroup | None = None

    @field_validator("ledger")
    @classmethod
    def _ledger_on_nvme(cls, group: NodeGroup) -> NodeGroup:
        for itype in group.instance_types:
            if not has_local_nvme(itype):
                raise ValueError(
                    f"instance type {itype} has no local NVMe instance store; Ledger needs one "
                    f"(i4i, i3en, i7ie, m6id, r6id, m7gd, ...)"
                )
        return group


class Region(StrictModel):
    id: str
    priority: int = Field(ge=1)
    role: RegionRole
    vpc_cidr: ipaddress.IPv4Network
    availability_zones: int | tuple[str, ...]
    kubernetes_version: str = Field(pattern=r"^1\.\d{2}$")
    ledger_jurisdiction: str
    ledger_voting: bool = True
    node_groups: NodeGroups

    @field_validator("id")
    @classmethod
    def _known_region(cls, region: str) -> str:
        if region not in AWS_REGION_ZONES:
            raise ValueError(f"'{region}' is not a known AWS region id (e.g. us-west-1, eu-central-1)")
        return region

    @field_validator("ledger_jurisdiction")
    @classmethod
    def _known_jurisdiction(cls, slug: str) -> str:
        if slug not in LEDGER_REGIONS:
            raise ValueError(f"'{slug}' is not a Ledger region; use one of {sorted(LEDGER_REGIONS)}")
        return slug

    @field_validator("vpc_cidr")
    @classmethod
    def _cidr_size(cls, cidr: ipaddress.IPv4Network) -> ipaddress.IPv4Network:
        if not 16 <= cidr.prefixlen <= 20:
            raise ValueError(f"{cidr} must be a /16 to /20 so every zone gets its subnets")
        return cidr

    @model_validator(mode="after")
    def _zones_and_groups(self) -> Self:
        offered = AWS_REGION_ZONES[self.id]
        if isinstance(self.availability_zones, int):
            if not 1 <= self.availability_zones <= offered:
                raise ValueError(
                    f"availability_zones is {self.availability_zones} but {self.id} offers {offered} "
                    f"to most accounts; use at most {offered} or list the zone names"
                )
        else:
            names = self.availability_zones
            if not names or len(set(names)) != len(names):
                raise ValueError("availability_zones must list distinct zone names")
            for zone in names:
                if not (zone.startswith(self.id) and len(zone) == len(self.id) + 1):
                    raise ValueError(f"availability_zones: '{zone}' is not a zone of {self.id}")
        if self.role != "witness" and self.node_groups.general is None:
            raise ValueError(
                f"node_groups.general is required for a '{self.role}' region (Engine and Control run there)"
            )
        return self

    @property
    def zone_count(self) -> int:
        zones = self.availability_zones
        return zones if isinstance(zones, int) else len(zones)


class Topology(StrictModel):
    environment: Environment
    failover: Literal["automatic", "manual"]
    ledger: LedgerSettings = LedgerSettings()
    workloads: WorkloadSettings = WorkloadSettings()
    monitoring: MonitoringSettings = MonitoringSettings()
    targets: Targets = Targets()
    connectivity: Connectivity
    eks: EksSettings
    images: Images
    regions: dict[str, Region] = Field(min_length=1)

    @model_validator(mode="before")
    @classmethod
    def _region_ids_from_keys(cls, data: Any) -> Any:
        # Regions are a map keyed by region id (errors then read `regions.eu-central-1.vpc_cidr`).
        if isinstance(data, dict) and isinstance(data.get("regions"), dict):
            regions = {}
            for key, body in data["regions"].items():
                if isinstance(body, dict) and body.setdefault("id", key) != key:
                    raise ValueError(f"regions.{key}.id is '{body['id']}'; it must equal its key '{key}'")
                regions[key] = body
            data = {**data, "regions": regions}
        return data

    @model_validator(mode="after")
    def _cross_region_rules(self) -> Self:
        from topology_rules import check_topology

        check_topology(self)
        return self

    # --- derived views ---------------------------------------------------------------------
    def ordered_regions(self) -> list[Region]:
        """Regions in priority order: deploy order, and the order `synth --all` evaluates."""
        return sorted(self.regions.values(), key=lambda r: r.priority)

    @property
    def primary(self) -> Region:
        return self.ordered_regions()[0]

    def ledger_replicas(self, region: Region) -> int:
        return self.ledger.witness_replicas if region.role == "witness" else self.ledger.replicas

    def worker_id_base(self, region: Region) -> int:
        """First Control WORKER_ID of a region: disjoint blocks in priority order (0, 100, 200, ...)."""
        return [r.id for r in self.ordered_regions()].index(region.id) * WORKER_ID_BLOCK

    def failure_domains(self) -> FailureDomains:
        return FailureDomains(tuple(
            RegionVoters(r.id, self.ledger_replicas(r) if r.ledger_voting else 0, r.zone_count)
            for r in self.ordered_regions()
        ))  # fmt: skip

    def voters(self) -> Voters:
        return Voters({r.region: r.voters for r in self.failure_domains().regions})

    def digest(self) -> str:
        """Stable fingerprint of the validated topology (comments and key order do not count)."""
        return hashlib.sha256(self.model_dump_json().encode()).hexdigest()[:16]


class TopologyError(ValueError):
    """A topology that must not be deployed; `str()` is the message a user sees."""


def load_topology(path: str | Path) -> Topology:
    source = Path(path)
    try:
        data = yaml.safe_load(source.read_text())
    except OSError as exc:
        raise TopologyError(f"{source}: cannot read the topology ({exc.strerror})") from exc
    except yaml.YAMLError as exc:
        raise TopologyError(f"{source}: not valid YAML: {exc}") from exc
    return parse_topology(data, source.name)


def parse_topology(data: object, source: str = "topology.yaml") -> Topology:
    try:
        return Topology.model_validate(data)
    except ValidationError as exc:
        raise TopologyError("\n".join(_describe(source, e) for e in exc.errors())) from exc


def _describe(source: str, error: Any) -> str:
    path = ".".join(str(p) for p in error["loc"] if p not in ("tailscale", "peering") or len(error["loc"]) == 1)
    message = str(error["msg"]).removeprefix("Value error, ")
    if error["type"] == "extra_forbidden":
        message = "unknown field; remove it or check its spelling against the README's field table"
    if path and not message.startswith(path.split(".")[0] + "."):
        return f"{source}: {path}: {message}"
    return f"{source}: {message}"
