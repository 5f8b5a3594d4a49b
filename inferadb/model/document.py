"""The topology document: every block, and the views derived from it (priority order, voters)."""

from __future__ import annotations

import hashlib
from typing import Any, Literal

from pydantic import Field, model_validator

from inferadb.analysis.failure_domains import FailureDomains, RegionVoters
from inferadb.analysis.latency import Voters
from inferadb.model.connectivity import Connectivity, TailscaleConnectivity
from inferadb.model.control import ControlSite
from inferadb.model.eks import EksSettings
from inferadb.model.images import Images
from inferadb.model.regions import Region
from inferadb.model.workloads import LedgerSettings, MonitoringSettings, StrictModel, Targets, WorkloadSettings

Environment = Literal["dev", "staging", "production"]
WORKER_ID_BLOCK = 100  # Control WORKER_IDs (0-1023) per region; up to 10 regions


class TopologyDocument(StrictModel):
    """The fields and derived views of a topology, before the cross-region rules run."""

    environment: Environment
    """`production` forbids `single` redundancy, and gets a NAT gateway per zone and 365-day flow logs
    (otherwise one NAT gateway, 30 days)."""
    failover: Literal["automatic", "manual"]
    """`automatic` is accepted only when the Ledger voters keep a quorum after the loss of any one region."""
    ledger: LedgerSettings = LedgerSettings()
    """Ledger sizing."""
    workloads: WorkloadSettings = WorkloadSettings()
    """Engine and Control sizing."""
    control: ControlSite | None = None
    """Control's public URLs and WebAuthn relying party; required outside `dev` (Control defaults them to
    localhost)."""
    monitoring: MonitoringSettings = MonitoringSettings()
    """ServiceMonitors and alerts."""
    targets: Targets = Targets()
    """Promises the model checks: a target it shows impossible is a validation error."""
    connectivity: Connectivity
    """How regions reach each other; `mode` picks the block."""
    eks: EksSettings
    """Cluster access, endpoint exposure, logs and add-on versions."""
    images: Images
    """Pinned container images."""
    regions: dict[str, Region] = Field(min_length=1)
    """One entry per AWS region, keyed by region id; the stack of the same name deploys it."""

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
            RegionVoters(
                r.id,
                self.ledger_replicas(r) if r.ledger_voting else 0,
                r.zone_count,
                routed=isinstance(self.connectivity, TailscaleConnectivity),
            )
            for r in self.ordered_regions()
        ))  # fmt: skip

    def voters(self) -> Voters:
        return Voters({r.region: r.voters for r in self.failure_domains().regions})

    def digest(self) -> str:
        """Stable fingerprint of the validated topology (comments and key order do not count)."""
        return hashlib.sha256(self.model_dump_json().encode()).hexdigest()[:16]
