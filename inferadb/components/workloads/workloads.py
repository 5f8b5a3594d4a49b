"""InferaDBWorkloads: Ledger, Engine, Control, their NetworkPolicies and monitoring in one region."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi

from inferadb.components.network.connectivity import LedgerWiring, private_cidrs
from inferadb.components.workloads.control import ControlArgs, ControlPlane
from inferadb.components.workloads.engine import EngineArgs, EngineDeployment
from inferadb.components.workloads.ledger import LedgerArgs, LedgerCluster, ledger_endpoint
from inferadb.components.workloads.monitoring import Monitoring, MonitoringArgs
from inferadb.components.workloads.netpol import NetworkPolicies, NetworkPolicyArgs
from inferadb.model.connectivity import PeeringConnectivity
from inferadb.model.regions import Region
from inferadb.model.topology import Topology


@dataclass(frozen=True)
class WorkloadsArgs:
    topology: Topology
    region: Region
    wiring: LedgerWiring
    namespace: pulumi.Input[str]
    storage_class: pulumi.Input[str]
    control_master_key: pulumi.Input[str] | None
    """The primary's Control master key (later regions); None in the primary, which generates it."""
    depends_on: tuple[pulumi.Resource, ...] = ()
    """What pods need before they can run: the node groups and cluster DNS."""


class InferaDBWorkloads(pulumi.ComponentResource):
    ledger: LedgerCluster
    control: ControlPlane | None
    """None in a witness region, which runs Ledger voters only."""

    def __init__(self, name: str, args: WorkloadsArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("inferadb:workloads:Workloads", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        topology, region, ns = args.topology, args.region, args.namespace
        images, workloads = topology.images, topology.workloads
        self.ledger = LedgerCluster(
            f"{name}-ledger",
            LedgerArgs(
                namespace=ns,
                image=images.ledger,
                replicas=topology.ledger_replicas(region),
                jurisdiction=region.ledger_jurisdiction,
                wiring=args.wiring,
                resources=topology.ledger.resources.requirements(),
                storage=topology.ledger.storage,
                storage_class=args.storage_class,
                run_init=region.id == topology.primary.id,
                environment=topology.environment,
                role=region.role,
                depends_on=args.depends_on,
            ),
            child,
        )
        self.control = None
        serves_clients = region.role != "witness"
        if serves_clients:
            EngineDeployment(
                f"{name}-engine",
                EngineArgs(
                    namespace=ns,
                    image=images.engine,
                    replicas=workloads.engine,
                    region=region.id,
                    ledger_endpoint=ledger_endpoint(),
                    resources=workloads.engine_resources.requirements(),
                    sidecar=args.wiring.engine_sidecar,
                    depends_on=args.depends_on,
                ),
                child,
            )
            self.control = ControlPlane(
                f"{name}-control",
                ControlArgs(
                    namespace=ns,
                    image=images.control,
                    replicas=workloads.control_replicas,
                    region=region.id,
                    worker_id_base=topology.worker_id_base(region),
                    ledger_endpoint=ledger_endpoint(),
                    resources=workloads.control_resources.requirements(),
                    master_key=args.control_master_key,
                    depends_on=args.depends_on,
                ),
                child,
            )
        peering = isinstance(topology.connectivity, PeeringConnectivity)
        peers = [c for r in topology.ordered_regions() if r.id != region.id for c in private_cidrs(r)]
        NetworkPolicies(
            f"{name}-netpol",
            NetworkPolicyArgs(
                namespace=ns,
                monitoring_namespace=topology.monitoring.namespace,
                peer_cidrs=tuple(peers) if peering else (),
                tailscale=not peering,
                external_dns=peering,
            ),
            child,
        )
        if topology.monitoring.enabled:
            Monitoring(
                f"{name}-monitoring",
                MonitoringArgs(
                    namespace=ns,
                    release_label=topology.monitoring.release_label,
                    quorum=topology.failure_domains().quorum,
                    runbook_base_url=topology.monitoring.runbook_base_url,
                    engine_and_control=serves_clients,
                ),
                child,
            )
        self.register_outputs({"ledger_client_service": self.ledger.client_service})
