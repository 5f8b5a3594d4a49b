"""InferaDBRegion: everything one stack (one AWS region) runs, composed top to bottom."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws

from inferadb.components.cluster.addons import AddonsArgs, EksAddons
from inferadb.components.cluster.cluster import ClusterArgs, EksCluster
from inferadb.components.cluster.nodegroups import NodeGroups, NodeGroupsArgs, PoolSpec
from inferadb.components.network.connectivity import Connectivity, ConnectivityArgs, RegionSide
from inferadb.components.network.network import NetworkArgs, RegionNetwork
from inferadb.components.shared.pods import ledger_toleration
from inferadb.components.shared.tags import base_tags
from inferadb.components.storage.storage import LocalNvmeStorage, StorageArgs
from inferadb.components.workloads.namespace import inferadb_namespace
from inferadb.components.workloads.workloads import InferaDBWorkloads, WorkloadsArgs
from inferadb.facts.names import POOL_LABEL
from inferadb.model.eks import AddonName
from inferadb.model.regions import NodeGroup, Region
from inferadb.model.topology import Topology

# Created before the node groups (nodes need the CNI); coredns after (it needs nodes).
NETWORKING_ADDONS: tuple[AddonName, ...] = ("vpc-cni", "kube-proxy", "eks-pod-identity-agent")


def cluster_name(region: Region) -> str:
    return f"inferadb-{region.id}"


def pool_spec(pool: str, group: NodeGroup, *, ledger: bool) -> PoolSpec:
    return PoolSpec(
        pool=pool,
        instance_types=group.instance_types,
        min_size=group.min_size,
        desired_size=group.desired_size,
        max_size=group.max_size,
        disk_size_gib=group.disk_size_gib,
        imds_hop_limit=group.imds_hop_limit,
        local_storage="Mount" if ledger else None,
        tainted=ledger,
    )


@dataclass(frozen=True)
class RegionArgs:
    topology: Topology
    region: Region
    earlier: Mapping[str, pulumi.StackReference] = field(default_factory=dict)
    """Stacks of the regions deployed before this one (priority order)."""
    peer_providers: Mapping[str, aws.Provider] = field(default_factory=dict)
    """An AWS provider per earlier region (peering mode manages both sides of each peering)."""


class InferaDBRegion(pulumi.ComponentResource):
    network: RegionNetwork
    cluster: EksCluster
    nodes: NodeGroups
    storage: LocalNvmeStorage
    connectivity: Connectivity
    workloads: InferaDBWorkloads

    def __init__(self, name: str, args: RegionArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("inferadb:index:Region", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        region, topology = args.region, args.topology
        tags = base_tags(region.id, topology.environment)
        self.network = RegionNetwork(
            f"{region.id}-network",
            NetworkArgs(
                vpc_cidr=str(region.vpc_cidr),
                zones=region.availability_zones,
                cluster_name=cluster_name(region),
                nat_gateway_per_zone=topology.environment != "dev",
                flow_log_retention_days=365 if topology.environment == "production" else 30,
                tags=tags,
            ),
            child,
        )
        eks = topology.eks
        self.cluster = EksCluster(
            f"{region.id}-cluster",
            ClusterArgs(
                cluster_name=cluster_name(region),
                region=region.id,
                kubernetes_version=region.kubernetes_version,
                subnet_ids=self.network.private_subnet_ids,
                admins=eks.admins,
                public_access_cidrs=tuple(str(c) for c in eks.public_access_cidrs),
                log_retention_days=eks.log_retention_days,
                tags=tags,
            ),
            child,
        )
        networking = self._addons(f"{region.id}-addons", {n: eks.addons[n] for n in NETWORKING_ADDONS}, tags)
        groups = region.node_groups
        pools = [pool_spec("ledger", groups.ledger, ledger=True)]
        if groups.general is not None:
            pools.append(pool_spec("general", groups.general, ledger=False))
        self.nodes = NodeGroups(
            f"{region.id}-nodes",
            NodeGroupsArgs(
                cluster_name=self.cluster.cluster_name,
                kubernetes_version=region.kubernetes_version,
                subnet_ids=self.network.private_subnet_ids,
                pools=tuple(pools),
                tags=tags,
                depends_on=tuple(networking.addons),
            ),
            child,
        )
        dns = self._addons(
            f"{region.id}-dns",
            {"coredns": eks.addons["coredns"]},
            tags,
            tolerate_ledger_taint=groups.general is None,
            depends_on=list(self.nodes.groups.values()),
        )
        self.storage = LocalNvmeStorage(
            f"{region.id}-storage",
            StorageArgs(
                image=topology.images.local_volume_provisioner,
                pool_selector={POOL_LABEL: "ledger"},
                toleration=ledger_toleration(),
            ),
            pulumi.ResourceOptions(parent=self, providers=[self.cluster.provider]),
        )
        on_cluster = pulumi.ResourceOptions(parent=self, providers=[self.cluster.provider])
        namespace = inferadb_namespace(f"{region.id}-namespace", on_cluster)
        self.connectivity = Connectivity(
            f"{region.id}-connectivity",
            ConnectivityArgs(
                topology=topology,
                region=region,
                earlier=args.earlier,
                peer_providers=args.peer_providers,
                tags=tags,
                side=RegionSide(
                    vpc_id=self.network.vpc_id,
                    route_table_ids=[t.id for t in self.network.private_route_tables],
                    node_security_group_id=self.cluster.node_security_group_id,
                    oidc_provider_arn=self.cluster.oidc_provider_arn,
                    oidc_issuer=self.cluster.oidc_issuer,
                    namespace=namespace.metadata.name,
                ),
            ),
            on_cluster,
        )
        primary = topology.primary.id
        self.workloads = InferaDBWorkloads(
            f"{region.id}-workloads",
            WorkloadsArgs(
                topology=topology,
                region=region,
                wiring=self.connectivity.wiring,
                namespace=namespace.metadata.name,
                storage_class=self.storage.storage_class_name,
                control_master_key=None
                if region.id == primary
                else args.earlier[primary].require_output("control_master_key"),
                depends_on=(*self.nodes.groups.values(), *dns.addons),
            ),
            on_cluster,
        )
        self.register_outputs({"vpc_id": self.network.vpc_id, "cluster_name": self.cluster.cluster_name})

    def _addons(
        self,
        name: str,
        versions: dict[str, str],
        tags: dict[str, str],
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
                tags=tags,
                tolerate_ledger_taint=tolerate_ledger_taint,
                depends_on=depends_on or [],
            ),
            pulumi.ResourceOptions(parent=self),
        )
