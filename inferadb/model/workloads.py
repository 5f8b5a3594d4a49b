"""Workload blocks of the topology: Ledger, Engine and Control sizing, monitoring."""

from __future__ import annotations

from typing import Annotated, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, Strict, model_validator

Redundancy = Literal["single", "double", "triple"]
WorkloadSize = Literal["small", "medium", "large"]
LEDGER_REPLICAS: dict[str, int] = {"single": 1, "double": 3, "triple": 5}
ENGINE_REPLICAS: dict[str, int] = {"small": 3, "medium": 5, "large": 7}


Count = Annotated[int, Strict()]
"""An integer written as one: YAML `true`, `3.0` or `"3"` is not a count."""
_POSITIVE_CPU = r"^(?:[1-9][0-9]{0,2}(?:\.[0-9]{1,3})?|0\.[0-9]{0,2}[1-9]|[1-9][0-9]{0,5}m)$"
_POSITIVE_MEMORY = r"^[1-9][0-9]{0,5}(?:Mi|Gi)$"


def moved(data: object, field: str, fix: str) -> object:
    """For a `mode="before"` validator: a field an earlier version read is an error that says where it went."""
    if isinstance(data, dict) and field.rsplit(".", 1)[-1] in data:
        raise ValueError(f"{field} moved: {fix}")
    return data


class StrictModel(BaseModel):
    # A field's docstring is its description: the topology reference (docs/topology.md) is generated from it.
    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)


class Resources(StrictModel):
    """Requests equal limits: the pods get Guaranteed QoS (never evicted first under pressure)."""

    cpu: str = Field(pattern=_POSITIVE_CPU)
    """CPU request and limit (`2`, `500m`)."""
    memory: str = Field(pattern=_POSITIVE_MEMORY)
    """Memory request and limit (`8Gi`, `512Mi`)."""

    def requirements(self) -> dict[str, dict[str, str]]:
        amounts = {"cpu": self.cpu, "memory": self.memory}
        return {"requests": dict(amounts), "limits": dict(amounts)}


class LedgerSettings(StrictModel):
    redundancy: Redundancy = "double"
    """Ledger nodes per primary or DR region: `single` 1, `double` 3, `triple` 5."""
    replicas_per_region: Count | None = Field(None, ge=1, le=7)
    """`clusterSize` in InferaDB's multi-region deployment guide; when set it must equal the redundancy mode's count."""
    witness_replicas: Count = Field(1, ge=1, le=5)
    """Ledger voters a `witness` region runs."""
    resources: Resources | None = None
    """Ledger container requests = limits (Guaranteed QoS). Unset: Ledger's production recommendation
    (4 cores, 8 GiB per node), cut to what every instance type of the region's Ledger pool can give it."""
    storage: str = Field("100Gi", pattern=r"^[1-9][0-9]{0,4}(?:Gi|Ti)$")
    """Each Ledger pod's claim on its node's NVMe disk (a local volume is a whole disk: it must fit one)."""
    catch_up_seconds: int = Field(300, ge=30, le=840)
    """How long a started Ledger pod counts as not Ready: Ledger exposes no applied index, so this
    stated wait is what keeps a rollout or a node drain from replacing the next voter before a new,
    empty one has caught up. Raise it with the data (a snapshot of it must cross the slowest path);
    at most 840, since EKS gives a node 15 minutes to drain during a node group update."""

    @property
    def replicas(self) -> int:
        return LEDGER_REPLICAS[self.redundancy]

    @model_validator(mode="after")
    def _replicas_match_redundancy(self) -> Self:
        if self.replicas_per_region not in (None, self.replicas):
            raise ValueError(
                f"ledger.replicas_per_region is {self.replicas_per_region} but redundancy "
                f"'{self.redundancy}' means {self.replicas}; drop replicas_per_region or pick the "
                f"redundancy mode with that many replicas (single=1, double=3, triple=5)"
            )
        return self


class WorkloadSettings(StrictModel):
    size: WorkloadSize = "small"
    """Engine replicas per region: `small` 3, `medium` 5, `large` 7."""
    engine_replicas: Count | None = Field(None, ge=1, le=100)
    """Raise Engine above the size's count (never below it)."""
    control_replicas: Count = Field(2, ge=1, le=100)
    """Control replicas per region (their WORKER_IDs come from a block of 100 per region)."""
    engine_resources: Resources = Resources(cpu="1", memory="2Gi")
    """Engine container requests = limits."""
    control_resources: Resources = Resources(cpu="500m", memory="1Gi")
    """Control container requests = limits."""
    engine_namespace_id: Count | None = Field(None, ge=1, le=2**63 - 1)
    """The Ledger namespace Engine serves. Engine exits without one, so until it is set Engine is deployed
    with zero replicas (docs/workloads.md, "Engine's namespace")."""

    @property
    def engine(self) -> int:
        return self.engine_replicas or ENGINE_REPLICAS[self.size]

    @model_validator(mode="after")
    def _engine_fits_size(self) -> Self:
        floor = ENGINE_REPLICAS[self.size]
        if self.engine_replicas is not None and self.engine_replicas < floor:
            raise ValueError(
                f"workloads.engine_replicas {self.engine_replicas} is below the '{self.size}' "
                f"size's {floor}; raise it or choose a smaller size (small=3, medium=5, large=7+)"
            )
        return self


class MonitoringSettings(StrictModel):
    mode: Literal["none", "install", "existing"] = "none"
    """`none`: no monitoring objects (a first deploy survives it anywhere). `install`: a pinned
    kube-prometheus-stack (needs `eks.addons.aws-ebs-csi-driver` for its gp3 volumes), then the
    ServiceMonitors and alerts. `existing`: the cluster already runs the Prometheus operator
    (preflight checks its CRDs); only the ServiceMonitors and alerts."""
    retention: str = Field("15d", pattern=r"^[1-9][0-9]{0,3}[hdw]$")
    """`install`: how long Prometheus keeps samples."""
    storage: str = Field("50Gi", pattern=r"^[1-9][0-9]{0,4}Gi$")
    """`install`: Prometheus's gp3 volume."""
    namespace: str = Field("monitoring", pattern=r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
    """Where Prometheus runs: the only namespace allowed to scrape the metrics ports."""
    release_label: str = Field("kube-prometheus-stack", pattern=r"^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$")
    """The `release` label your Prometheus selects ServiceMonitors and rules by."""
    runbook_base_url: str = Field(
        "https://github.com/inferadb/deploy/blob/main/docs/runbooks",
        pattern=r"^https://[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?(?::[0-9]{1,5})?(?:/[A-Za-z0-9._~%/+-]*)?$",
        max_length=2000,
    )
    """Where the alerts' runbook links point: one page per alert, `<base>/<AlertName>.md`."""

    @model_validator(mode="before")
    @classmethod
    def _moved(cls, data: object) -> object:
        return moved(data, "monitoring.enabled", "write monitoring.mode: none | install | existing (docs/workloads.md)")


class Targets(StrictModel):
    """What the deployment promises; the model in raft_model.py must be able to keep it."""

    failover_seconds: float | None = Field(None, gt=0, le=86400)
    """Promised failover time; rejected if the Raft timing model says it cannot be met."""
    commit_latency_ms: float | None = Field(None, gt=0, le=60000)
    """Promised commit latency; rejected if below the round trip to the nearest majority."""
