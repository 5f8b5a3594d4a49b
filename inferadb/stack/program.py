"""The program body: one region's stack, from its validated settings to its exports.

Everything is validated before the first resource is declared (load_stack_settings raises RunError).
"""

from __future__ import annotations

import pulumi
import pulumi_aws as aws
import pulumi_tailscale as tailscale

from inferadb.components.region import InferaDBRegion, RegionArgs
from inferadb.components.shared.tags import base_tags
from inferadb.stack.crossstack import earlier_stacks, require_primary_topology
from inferadb.stack.settings import load_stack_settings


def main() -> None:
    """Declare this stack's region (the stack is named after its AWS region) and export its outputs."""
    settings = load_stack_settings()
    topology, region = settings.topology, settings.region

    # An explicit provider per region: nothing depends on ambient AWS defaults but the credentials.
    provider = aws.Provider(
        f"aws-{region.id}",
        region=region.id,
        default_tags={"tags": base_tags(region.id, topology.environment)},
    )
    earlier = earlier_stacks(topology, region)
    providers: list[pulumi.ProviderResource] = [provider]
    peer_providers: dict[str, aws.Provider] = {}
    if topology.connectivity.mode == "peering":
        # This stack owns its peerings with every earlier region, and manages their side too.
        peer_providers = {
            peer: aws.Provider(f"aws-{peer}", region=peer, default_tags={"tags": base_tags(peer, topology.environment)})
            for peer in earlier
        }
    else:
        # Credentials: TAILSCALE_OAUTH_CLIENT_ID/_SECRET (or TAILSCALE_API_KEY) in the environment, or the
        # secret stack config below; never a plain value in a file.
        ts = pulumi.Config("inferadb")
        providers.append(
            tailscale.Provider(
                "tailnet",
                tailnet=topology.connectivity.tailnet,
                oauth_client_id=ts.get("tailscaleOauthClientId"),
                oauth_client_secret=ts.get_secret("tailscaleOauthClientSecret"),
            )
        )
    stack = InferaDBRegion(
        region.id,
        RegionArgs(topology=topology, region=region, earlier=earlier, peer_providers=peer_providers),
        pulumi.ResourceOptions(providers=providers),
    )

    pulumi.export("region", region.id)
    pulumi.export("priority", region.priority)
    pulumi.export("role", region.role)
    pulumi.export("topology_digest", topology.digest())
    pulumi.export("vpc_id", stack.network.vpc_id)
    pulumi.export("vpc_cidr", str(region.vpc_cidr))
    pulumi.export("private_subnet_ids", stack.network.private_subnet_ids)
    pulumi.export("public_subnet_ids", stack.network.public_subnet_ids)
    pulumi.export("private_route_table_ids", stack.network.private_route_table_ids)
    pulumi.export("cluster_name", stack.cluster.cluster_name)
    pulumi.export("cluster_endpoint", stack.cluster.endpoint)
    pulumi.export("oidc_provider_arn", stack.cluster.oidc_provider_arn)
    pulumi.export("node_security_group_id", stack.cluster.node_security_group_id)
    pulumi.export("kubeconfig", stack.cluster.kubeconfig)  # secret
    pulumi.export("storage_class", stack.storage.storage_class_name)
    if stack.workloads.control is not None and region.id == topology.primary.id:
        pulumi.export("control_master_key", stack.workloads.control.master_key)  # secret; later regions share it
    for key, value in stack.connectivity.exports.items():
        pulumi.export(key, value)
    if earlier:
        primary = topology.primary.id
        pulumi.export("primary_topology_digest", require_primary_topology(earlier[primary], primary, topology.digest()))
