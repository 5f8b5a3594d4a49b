"""InferaDBRegion: everything one stack (one AWS region) runs, composed top to bottom from its plan."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws

from components.cluster.addons import AddonsArgs, EksAddons
from components.cluster.cluster import ClusterArgs, EksCluster
from components.cluster.nodegroups import NodeGroups, NodeGroupsArgs
from components.connectivity.client_access import ClientAccess, ClientAccessArgs
from components.connectivity.connectivity import Connectivity, ConnectivityArgs, RegionSide
from components.connectivity.vpc import NetworkArgs, RegionNetwork
from components.monitoring.stack import PrometheusStack, PrometheusStackArgs
from components.shared.earlier import EarlierRegion
from components.shared.logs_key import logs_key
from components.shared.pods import ledger_toleration
from components.storage.storage import LocalNvmeStorage, StorageArgs
from components.workloads.namespace import inferadb_namespace
from components.workloads.workloads import InferaDBWorkloads, WorkloadsArgs
from inferadb.facts.names import POOL_LABEL
from inferadb.plan.region import RegionPlan, protects


@dataclass(frozen=True)
class RegionArgs:
    plan: RegionPlan
    earlier: Mapping[str, EarlierRegion] = field(default_factory=dict)
    """Stacks of the regions deployed before this one (priority order)."""
    peer_providers: Mapping[str, aws.Provider] = field(default_factory=dict)
    """An AWS provider per earlier region (peering mode manages both sides of each peering)."""
    alertmanager_config: pulumi.Input[str] | None = None
    """Secret: alertmanager.yaml for `monitoring.mode: install` (stack setting `inferadb:alertmanagerConfig`)."""


class InferaDBRegion(pulumi.ComponentResource):
    logs_key: aws.kms.Key
    network: RegionNetwork
    cluster: EksCluster
    nodes: NodeGroups
    storage: LocalNvmeStorage
    connectivity: Connectivity
    workloads: InferaDBWorkloads

    def __init__(self, name: str, args: RegionArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("inferadb:index:Region", name, None, opts)
        plan = args.plan
        keep = protects(plan)
        self.logs_key = logs_key(plan.region, plan.region, plan.tags, pulumi.ResourceOptions(parent=self), keep)
        self.network = self._network(plan)
        self.cluster = self._cluster(plan)
        networking = self._addons(f"{plan.region}-addons", plan.cluster.networking_addons, plan)
        self.nodes = NodeGroups(
            f"{plan.region}-nodes",
            NodeGroupsArgs(
                keep=keep,
                cluster_name=self.cluster.cluster_name,
                kubernetes_version=plan.cluster.kubernetes_version,
                subnet_ids=self.network.private_subnet_ids,
                pools=plan.pools,
                tags=plan.tags,
            ),
            pulumi.ResourceOptions(parent=self, depends_on=list(networking.addons)),
        )
        dns = self._addons(
            f"{plan.region}-dns",
            plan.cluster.dns_addons,
            plan,
            tolerate_ledger_taint=plan.cluster.coredns_tolerates_ledger,
            depends_on=list(self.nodes.groups.values()),
        )
        on_cluster = pulumi.ResourceOptions(parent=self, providers=[self.cluster.provider])
        self.storage = LocalNvmeStorage(
            f"{plan.region}-storage",
            StorageArgs(
                keep=keep,
                image=plan.storage_provisioner_image,
                cleanup_image=plan.storage_cleanup_image,
                pool_selector={POOL_LABEL: "ledger"},
                toleration=ledger_toleration(),
            ),
            # The provisioner and its cleanup controller run on the Ledger pool: they wait for it.
            pulumi.ResourceOptions.merge(
                on_cluster, pulumi.ResourceOptions(depends_on=list(self.nodes.groups.values()))
            ),
        )
        namespace = inferadb_namespace(f"{plan.region}-namespace", on_cluster, keep)
        monitoring_ready = self._monitoring(plan, args, [*self.nodes.groups.values(), *dns.addons])
        self.connectivity = self._connectivity(plan, args)
        pods_need = (*self.nodes.groups.values(), *dns.addons)
        self.workloads = self._workloads(plan, args, namespace.metadata.name, pods_need, monitoring_ready)
        self.client_access = self._client_access(plan)
        self.register_outputs({"vpc_id": self.network.vpc_id, "cluster_name": self.cluster.cluster_name})

    def _client_access(self, plan: RegionPlan) -> ClientAccess | None:
        """`control.access`: Control's load balancer and this region's record of the public name."""
        access = plan.clients.control.access if plan.clients else None
        if access is None:
            return None
        return ClientAccess(
            f"{plan.region}-client-access",
            ClientAccessArgs(
                region=plan.region,
                access=access,
                vpc_id=self.network.vpc_id,
                subnet_ids=self.network.public_subnet_ids
                if access.internet_facing
                else self.network.private_subnet_ids,
                node_security_group_id=self.cluster.cluster_security_group_id,
                general_autoscaling_group=self.nodes.autoscaling_group("general"),
                tags=plan.tags,
            ),
            pulumi.ResourceOptions(parent=self),
        )

    def _network(self, plan: RegionPlan) -> RegionNetwork:
        return RegionNetwork(
            f"{plan.region}-network",
            NetworkArgs(
                vpc_cidr=plan.network.vpc_cidr,
                zones=plan.network.zones,
                cluster_name=plan.cluster.name,
                nat_gateway_per_zone=plan.network.nat_gateway_per_zone,
                flow_log_retention_days=plan.network.flow_log_retention_days,
                endpoint_blocks=plan.network.endpoint_blocks,
                reserve_endpoint_blocks=plan.network.reserve_endpoint_blocks,
                logs_key_arn=self.logs_key.arn,
                tags=plan.tags,
            ),
            pulumi.ResourceOptions(parent=self),
        )

    def _cluster(self, plan: RegionPlan) -> EksCluster:
        return EksCluster(
            f"{plan.region}-cluster",
            ClusterArgs(
                keep=protects(plan),
                cluster_name=plan.cluster.name,
                region=plan.region,
                kubernetes_version=plan.cluster.kubernetes_version,
                subnet_ids=self.network.private_subnet_ids,
                admins=plan.cluster.admins,
                deployers=plan.cluster.deployers,
                preview_role=plan.cluster.preview_role,
                public_cidrs=plan.cluster.public_cidrs,
                private_cidrs=plan.cluster.private_cidrs,
                log_retention_days=plan.cluster.log_retention_days,
                logs_key_arn=self.logs_key.arn,
                upgrade_support=plan.cluster.upgrade_support,
                tags=plan.tags,
            ),
            pulumi.ResourceOptions(parent=self),
        )

    def _addons(
        self,
        name: str,
        versions: dict[str, str],
        plan: RegionPlan,
        *,
        tolerate_ledger_taint: bool = False,
        depends_on: list[pulumi.Resource] | None = None,
    ) -> EksAddons:
        return EksAddons(
            name,
            AddonsArgs(
                cluster_name=self.cluster.cluster_name,
                versions=versions,
                oidc_provider_arn=self.cluster.oidc_provider_arn,
                oidc_issuer=self.cluster.oidc_issuer,
                tags=plan.tags,
                tolerate_ledger_taint=tolerate_ledger_taint,
            ),
            pulumi.ResourceOptions(parent=self, depends_on=depends_on),
        )

    def _monitoring(self, plan: RegionPlan, args: RegionArgs, needs: list[pulumi.Resource]) -> list[pulumi.Resource]:
        """`install`: the Prometheus stack, which the ServiceMonitors and rules must wait for."""
        if plan.monitoring.mode != "install":
            return []
        stack = PrometheusStack(
            f"{plan.region}-prometheus",
            PrometheusStackArgs(
                namespace=plan.monitoring.namespace,
                release=plan.monitoring.release_label,
                retention=plan.monitoring.retention,
                storage=plan.monitoring.storage,
                alertmanager_config=args.alertmanager_config,
            ),
            pulumi.ResourceOptions(parent=self, providers=[self.cluster.provider], depends_on=needs),
        )
        return [stack.release]

    def _connectivity(self, plan: RegionPlan, args: RegionArgs) -> Connectivity:
        return Connectivity(
            f"{plan.region}-connectivity",
            ConnectivityArgs(
                keep=protects(plan),
                region=plan.region,
                primary=plan.primary,
                mode=plan.connectivity,
                ledger=plan.ledger,
                network=plan.network,
                earlier=args.earlier,
                peer_providers=args.peer_providers,
                tags=plan.tags,
                side=RegionSide(
                    vpc_id=self.network.vpc_id,
                    private_subnet_ids=self.network.private_subnet_ids,
                    public_subnet_ids=self.network.public_subnet_ids,
                    route_table_ids=[t.id for t in self.network.private_route_tables],
                    cluster_security_group_id=self.cluster.cluster_security_group_id,
                    ledger_autoscaling_group=self.nodes.autoscaling_group("ledger"),
                ),
            ),
            # Cloud resources only (load balancers, DNS, peering or routers): no Kubernetes object.
            pulumi.ResourceOptions(parent=self),
        )

    def _workloads(
        self,
        plan: RegionPlan,
        args: RegionArgs,
        namespace: pulumi.Input[str],
        pods_need: tuple[pulumi.Resource, ...],
        monitoring_ready: list[pulumi.Resource],
    ) -> InferaDBWorkloads:
        return InferaDBWorkloads(
            f"{plan.region}-workloads",
            WorkloadsArgs(
                keep=protects(plan),
                region=plan.region,
                environment=plan.environment,
                role=plan.role,
                ledger=plan.ledger,
                clients=plan.clients,
                monitoring=plan.monitoring,
                node_cidrs=plan.network.private_cidrs,
                wiring=self.connectivity.wiring,
                namespace=namespace,
                storage_class=self.storage.storage_class_name,
                monitoring_ready=tuple(monitoring_ready),
                email_blinding_key=None if plan.is_primary else args.earlier[plan.primary].email_blinding_key,
            ),
            # Pods need the node groups and cluster DNS before they can run.
            pulumi.ResourceOptions(parent=self, providers=[self.cluster.provider], depends_on=list(pods_need)),
        )
