"""InferaDB multi-region deployment: one Pulumi stack per AWS region, all from topology.yaml.

`pulumi up --stack us-west-1` (then each later region in priority order), or offline:
`python -m synth --all`. Everything is validated before the first resource is declared.
"""

import pulumi
import pulumi_aws as aws

from components.region import InferaDBRegion, RegionArgs
from components.tags import base_tags
from crossstack import earlier_stacks, require_primary_topology
from stack_settings import load_stack_settings

settings = load_stack_settings()
topology, region = settings.topology, settings.region

# An explicit provider per region: nothing depends on ambient AWS defaults but the credentials.
provider = aws.Provider(
    f"aws-{region.id}",
    region=region.id,
    default_tags={"tags": base_tags(region.id, topology.environment)},
)
earlier = earlier_stacks(topology, region)
stack = InferaDBRegion(
    region.id,
    RegionArgs(topology=topology, region=region),
    pulumi.ResourceOptions(providers=[provider]),
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
if earlier:
    primary = topology.primary.id
    pulumi.export("primary_topology_digest", require_primary_topology(earlier[primary], primary, topology.digest()))
