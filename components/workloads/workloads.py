"""InferaDBWorkloads: Ledger, Engine, Control, their NetworkPolicies and monitoring in one region."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_kubernetes as k8s
import pulumi_random as random

from components.shared.ledger_wiring import LedgerWiring
from components.shared.manifest import body
from components.shared.options import inherited_waits
from components.shared.protection import guarded
from components.workloads.alerts import Monitoring, MonitoringArgs
from components.workloads.bootstrap import BootstrapArgs
from components.workloads.control import ControlArgs, ControlPlane
from components.workloads.engine import EngineArgs, EngineDeployment
from components.workloads.ledger import LedgerArgs, LedgerCluster
from components.workloads.netpol import NetworkPolicies, NetworkPolicyArgs
from inferadb.facts.names import EMAIL_BLINDING_KEY, EMAIL_BLINDING_SECRET, PART_OF
from inferadb.plan.clients import ClientsPlan
from inferadb.plan.region import LedgerPlan, MonitoringPlan


@dataclass(frozen=True)
class WorkloadsArgs:
    region: str
    environment: str
    role: str
    ledger: LedgerPlan
    clients: ClientsPlan | None
    """Engine and Control; None in a witness region, which runs Ledger voters only."""
    monitoring: MonitoringPlan
    node_cidrs: tuple[str, ...]
    """This region's private subnets: where NodePort traffic to Ledger comes from (kube-proxy SNATs it)."""
    wiring: LedgerWiring
    namespace: pulumi.Input[str]
    storage_class: pulumi.Input[str]
    monitoring_ready: tuple[pulumi.Resource, ...]
    """What creates the Prometheus operator's CRDs (the installed release), when this program installs it."""
    email_blinding_key: pulumi.Input[str] | None
    """The primary's e-mail blinding key (later regions); None in the primary, which generates it."""
    keep: bool = True
    """Protect what holds data or identity (everywhere but a dev estate: components/shared/protection.py)."""


class InferaDBWorkloads(pulumi.ComponentResource):
    ledger: LedgerCluster
    control: ControlPlane | None
    """None in a witness region, which runs Ledger voters only."""
    email_blinding_key: pulumi.Output[str]
    """Secret: the key Ledger and Control of every region read (generated once, in the primary)."""

    def __init__(self, name: str, args: WorkloadsArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        """`opts.depends_on` is what pods need before they can run (the node groups and cluster DNS);
        every workload waits for it."""
        super().__init__("inferadb:workloads:Workloads", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        pods = pulumi.ResourceOptions(parent=self, depends_on=inherited_waits(opts))
        ns, ledger = args.namespace, args.ledger
        blinding = self._email_blinding_secret(name, args)
        # Ledger and Control mount the key from this Secret: they start only after it exists.
        pods = pulumi.ResourceOptions.merge(pods, pulumi.ResourceOptions(depends_on=[blinding]))
        self.ledger = LedgerCluster(
            f"{name}-ledger",
            LedgerArgs(
                keep=args.keep,
                namespace=ns,
                image=ledger.image,
                schema=ledger.schema,
                replicas=ledger.replicas,
                endpoints=ledger.endpoints,
                jurisdiction=ledger.jurisdiction,
                wiring=args.wiring,
                resources=ledger.resources,
                storage=ledger.storage,
                catch_up_seconds=ledger.catch_up_seconds,
                storage_class=args.storage_class,
                bootstrap=BootstrapArgs(namespace=ns, image=ledger.bootstrap_image, steps=ledger.bootstrap),
                environment=args.environment,
                role=args.role,
            ),
            pods,
        )
        self.control = None
        clients = args.clients
        if clients is not None:
            # They start once the region's bootstrap Job has completed: before, their Ledger has no
            # cluster to serve them, and their readiness would time out on a long first bootstrap.
            after_bootstrap = pulumi.ResourceOptions.merge(
                pods, pulumi.ResourceOptions(depends_on=[self.ledger.bootstrap])
            )
            EngineDeployment(f"{name}-engine", EngineArgs(namespace=ns, plan=clients.engine), after_bootstrap)
            self.control = ControlPlane(
                f"{name}-control", ControlArgs(namespace=ns, plan=clients.control), after_bootstrap
            )
        NetworkPolicies(
            f"{name}-netpol",
            NetworkPolicyArgs(
                namespace=ns,
                monitoring_namespace=args.monitoring.namespace,
                node_cidrs=args.node_cidrs,
                endpoint_blocks=ledger.all_endpoint_blocks,
            ),
            child,
        )
        if args.monitoring.enabled:
            Monitoring(
                f"{name}-monitoring",
                MonitoringArgs(
                    namespace=ns,
                    release_label=args.monitoring.release_label,
                    quorum=ledger.quorum,
                    voters=ledger.voters,
                    ledger_replicas=ledger.replicas,
                    runbook_base_url=args.monitoring.runbook_base_url,
                    control=clients is not None,
                ),
                pulumi.ResourceOptions(parent=self, depends_on=list(args.monitoring_ready)),
            )
        self.register_outputs({"ledger_client_service": self.ledger.client_service})

    def _email_blinding_secret(self, name: str, args: WorkloadsArgs) -> k8s.core.v1.Secret:
        if args.email_blinding_key is None:
            generated = random.RandomId(
                f"{name}-email-blinding",
                byte_length=32,
                opts=pulumi.ResourceOptions.merge(pulumi.ResourceOptions(parent=self), guarded(args.keep)),
            )
            self.email_blinding_key = pulumi.Output.secret(generated.hex)
        else:
            self.email_blinding_key = pulumi.Output.secret(args.email_blinding_key)
        return k8s.core.v1.Secret(
            f"{name}-email-blinding",
            metadata=body({"name": EMAIL_BLINDING_SECRET, "namespace": args.namespace, "labels": PART_OF}),
            type="Opaque",
            string_data={EMAIL_BLINDING_KEY: self.email_blinding_key},
            opts=pulumi.ResourceOptions(parent=self),
        )
