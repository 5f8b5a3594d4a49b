"""Engine and Control of one region: each its own small plan, with the settings its binary reads.

The components render these as they are (no field is copied into component arguments), so a new
setting for either is a field of the topology and a line in inferadb/plan/workload_env.py.
"""

from __future__ import annotations

from dataclasses import dataclass

from inferadb.facts.names import CLIENT_SERVICE, NAMESPACE
from inferadb.facts.ports import CONTROL_NODE_PORT, CONTROL_PORT, ENGINE_HTTP_PORT, LEDGER_PORT
from inferadb.facts.releases import Build, incompatibility, write_path_hold
from inferadb.model.control import DEV_SITE
from inferadb.model.regions import Region
from inferadb.model.topology import Topology
from inferadb.plan.workload_env import ControlSettingsEnv, EngineSettingsEnv


@dataclass(frozen=True)
class AppPlan:
    """What Engine and Control have in common: an image, a replica count and the reason it is 0."""

    image: str
    replicas: int
    """0 while `hold` says why the workload cannot run."""
    hold: str | None
    resources: dict[str, dict[str, str]]
    writes: str
    """Whether this workload's writes reach Ledger's leader, and why: the plan prints it per region."""


@dataclass(frozen=True)
class EnginePlan(AppPlan):
    settings: EngineSettingsEnv


@dataclass(frozen=True)
class AccessPlan:
    """Control from outside the cluster, in this region: a TLS load balancer, and this region's
    record of the one public name."""

    hostname: str
    public_zone: str
    internet_facing: bool
    routing: str
    """`failover` or `latency`."""
    failover_role: str
    """`PRIMARY` (the primary region) or `SECONDARY` (the others, by priority) for failover routing."""
    allowed_cidrs: tuple[str, ...]
    node_port: int = CONTROL_NODE_PORT


@dataclass(frozen=True)
class ControlPlan(AppPlan):
    settings: ControlSettingsEnv
    worker_id_base: int
    """First Control WORKER_ID of the region: disjoint blocks in priority order."""
    access: AccessPlan | None = None


@dataclass(frozen=True)
class ClientsPlan:
    """Engine and Control, in every region but a witness."""

    engine: EnginePlan
    control: ControlPlan


def ledger_endpoint() -> str:
    """What Engine and Control of a region dial: its own Ledger client Service, never another region."""
    return f"http://{CLIENT_SERVICE}.{NAMESPACE}.svc.cluster.local:{LEDGER_PORT}"


def _writes(ledger: Build, client: Build, voters: int) -> tuple[str | None, str]:
    """(why the client is held for its writes or None, the sentence the plan prints)."""
    hold = write_path_hold(ledger, client, voters)
    if hold is not None:
        return hold, "cannot reach the leader: held at 0 replicas (the warning says why)"
    if voters == 1:
        return None, "reach the leader: one Ledger voter in the whole estate, which always leads"
    if ledger.forwards_writes:
        return None, f"reach the leader: ledger {ledger.tag} forwards writes to it"
    return None, f"reach the leader: {client.component} {client.tag} follows Ledger's NotLeader answers"


def plan_clients(topology: Topology, region: Region) -> ClientsPlan:
    return ClientsPlan(engine=_engine(topology, region), control=_control(topology, region))


def _engine(topology: Topology, region: Region) -> EnginePlan:
    workloads, images = topology.workloads, topology.images
    build, ledger = images.build("engine"), images.build("ledger")
    write_hold, writes = _writes(ledger, build, topology.failure_domains().voters)
    hold = incompatibility(ledger, build)
    if hold is None and workloads.engine_namespace_id is None:
        hold = "workloads.engine_namespace_id is not set (Engine exits without it)"
    hold = hold or write_hold
    settings = EngineSettingsEnv(
        schema=build.schema,
        http=f"0.0.0.0:{ENGINE_HTTP_PORT}",
        ledger_endpoint=ledger_endpoint(),
        ledger_client_id=f"engine-{region.id}",
        namespace_id=workloads.engine_namespace_id,
    )
    return EnginePlan(
        image=images.engine,
        replicas=0 if hold else workloads.engine,
        hold=hold,
        resources=workloads.engine_resources.requirements(),
        writes=writes,
        settings=settings,
    )


def _control(topology: Topology, region: Region) -> ControlPlan:
    workloads, images = topology.workloads, topology.images
    build, ledger = images.build("control"), images.build("ledger")
    write_hold, writes = _writes(ledger, build, topology.failure_domains().voters)
    hold = incompatibility(ledger, build) or write_hold
    site = topology.control or DEV_SITE
    settings = ControlSettingsEnv(
        schema=build.schema,
        listen=f"0.0.0.0:{CONTROL_PORT}",
        ledger_endpoint=ledger_endpoint(),
        ledger_client_id=f"control-{region.id}",
        worker_id="$(POD_INDEX)",
        frontend_url=site.frontend_url,
        webauthn_rp_id=site.webauthn_rp_id,
        webauthn_origin=site.webauthn_origin,
    )
    return ControlPlan(
        image=images.control,
        replicas=0 if hold else workloads.control_replicas,
        hold=hold,
        resources=workloads.control_resources.requirements(),
        writes=writes,
        settings=settings,
        worker_id_base=topology.worker_id_base(region),
        access=_access(topology, region),
    )


def _access(topology: Topology, region: Region) -> AccessPlan | None:
    access = topology.control.access if topology.control else None
    if access is None:
        return None
    return AccessPlan(
        hostname=access.hostname,
        public_zone=access.public_zone,
        internet_facing=access.scheme == "internet-facing",
        routing=access.routing,
        failover_role="PRIMARY" if region.id == topology.primary.id else "SECONDARY",
        allowed_cidrs=tuple(str(c) for c in access.allowed_cidrs),
    )
