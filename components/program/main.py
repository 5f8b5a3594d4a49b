"""The program body: one region's stack, from its validated settings to its exports.

Everything is validated before the first resource is declared (load_stack_settings raises RunError).
"""

from __future__ import annotations

from collections.abc import Mapping

import pulumi
import pulumi_aws as aws
import pulumi_tailscale as tailscale

from components.program.crossstack import earlier_regions, earlier_stacks, require_primary_topology
from components.program.stack_config import load_stack_settings
from components.region import InferaDBRegion, RegionArgs
from inferadb.model.topology import Topology
from inferadb.plan.region import PeeringPlan, RegionPlan, plan_region
from inferadb.plan.tags import base_tags
from inferadb.stack.files import ALERTMANAGER_CONFIG_KEY, TAILSCALE_CLIENT_ID_KEY, TAILSCALE_CLIENT_SECRET_KEY


def main() -> None:
    """Declare this stack's region (the stack is named after its AWS region) and export its outputs."""
    settings = load_stack_settings()
    plan = plan_region(settings.topology, settings.region.id, settings.policy_base)
    earlier = earlier_stacks(plan.earlier)
    providers, peer_providers = _providers(plan)
    alertmanager = pulumi.Config("inferadb").get_secret(ALERTMANAGER_CONFIG_KEY)
    stack = InferaDBRegion(
        plan.region,
        RegionArgs(
            plan=plan,
            earlier=earlier_regions(earlier, plan.primary),
            peer_providers=peer_providers,
            alertmanager_config=alertmanager,
        ),
        pulumi.ResourceOptions(providers=providers),
    )
    _export(settings.topology, plan, stack, earlier)


def _providers(plan: RegionPlan) -> tuple[list[pulumi.ProviderResource], dict[str, aws.Provider]]:
    # An explicit provider per region: nothing depends on ambient AWS defaults but the credentials.
    providers: list[pulumi.ProviderResource] = [
        # The role tag also tells the policy pack which stack may own the tailnet policy.
        aws.Provider(
            f"aws-{plan.region}", region=plan.region, default_tags={"tags": {**plan.tags, "inferadb:role": plan.role}}
        )
    ]
    mode = plan.connectivity
    if isinstance(mode, PeeringPlan):
        # This stack owns its peerings with every earlier region, and manages their side too.
        peers = {
            peer: aws.Provider(f"aws-{peer}", region=peer, default_tags={"tags": base_tags(peer, plan.environment)})
            for peer in plan.earlier
        }
        return providers, peers
    # Credentials: TAILSCALE_OAUTH_CLIENT_ID/_SECRET (or TAILSCALE_API_KEY) in the environment, or the
    # secret stack config below; never a plain value in a file.
    config = pulumi.Config("inferadb")
    providers.append(
        tailscale.Provider(
            "tailnet",
            tailnet=mode.tailnet,
            oauth_client_id=config.get(TAILSCALE_CLIENT_ID_KEY),
            oauth_client_secret=config.get_secret(TAILSCALE_CLIENT_SECRET_KEY),
        )
    )
    return providers, {}


def _export(
    topology: Topology, plan: RegionPlan, stack: InferaDBRegion, earlier: Mapping[str, pulumi.StackReference]
) -> None:
    region = topology.regions[plan.region]
    pulumi.export("region", plan.region)
    pulumi.export("priority", region.priority)
    pulumi.export("role", plan.role)
    pulumi.export("topology_digest", topology.digest())
    pulumi.export("vpc_id", stack.network.vpc_id)
    pulumi.export("vpc_cidr", plan.network.vpc_cidr)
    pulumi.export("private_subnet_ids", stack.network.private_subnet_ids)
    pulumi.export("public_subnet_ids", stack.network.public_subnet_ids)
    pulumi.export("private_route_table_ids", stack.network.private_route_table_ids)
    pulumi.export("cluster_name", stack.cluster.cluster_name)
    pulumi.export("cluster_endpoint", stack.cluster.endpoint)
    pulumi.export("oidc_provider_arn", stack.cluster.oidc_provider_arn)
    pulumi.export("cluster_security_group_id", stack.cluster.cluster_security_group_id)
    # Deprecated: the old name of cluster_security_group_id (it never held a node security group).
    # Kept for one release so readers of this stack can move to the new name; remove it after.
    pulumi.export("node_security_group_id", stack.cluster.cluster_security_group_id)
    pulumi.export("kubeconfig", stack.cluster.kubeconfig)  # secret
    pulumi.export("storage_class", stack.storage.storage_class_name)
    if plan.is_primary:
        pulumi.export("email_blinding_key", stack.workloads.email_blinding_key)  # secret; later regions share it
    for key, value in stack.connectivity.exports.items():
        pulumi.export(key, value)
    if earlier:
        check = require_primary_topology(earlier[plan.primary], plan.primary, topology.digest())
        pulumi.export("primary_topology_digest", check)
