"""The inputs that replace a resource holding data or identity when they change.

Offline there is no provider diff: `synth --diff` flags a changed input as "may replace" only when it
is on this list, and the URN snapshots (tests/snapshots/) pin these inputs for every shipped stack.
`pulumi preview` has the last word.
"""

from __future__ import annotations

# Per resource type, the inputs whose change makes the provider replace the resource (ForceNew in
# the AWS provider's schema; immutable fields in the Kubernetes API), limited to what holds data or
# identity. Dotted paths into the recorded props.
REPLACING: dict[str, tuple[str, ...]] = {
    "kubernetes:apps/v1:StatefulSet": (
        "metadata.name",
        "spec.selector",
        "spec.serviceName",
        "spec.podManagementPolicy",
        "spec.volumeClaimTemplates",
    ),
    "aws:eks/nodeGroup:NodeGroup": (
        "nodeGroupName",
        "instanceTypes",
        "amiType",
        "capacityType",
        "diskSize",
        "subnetIds",
        "nodeRoleArn",
    ),
    "aws:ec2/instance:Instance": ("ami", "subnetId", "userData", "userDataReplaceOnChange", "availabilityZone"),
    "aws:eks/cluster:Cluster": ("name", "roleArn", "encryptionConfig", "kubernetesNetworkConfig"),
    "aws:ec2/vpc:Vpc": ("cidrBlock",),
    "aws:ec2/subnet:Subnet": ("cidrBlock", "availabilityZone"),
    "aws:ec2/subnetCidrReservation:SubnetCidrReservation": ("cidrBlock", "reservationType"),
    "aws:lb/loadBalancer:LoadBalancer": ("name", "internal", "loadBalancerType", "subnetMappings"),
    "aws:kms/key:Key": ("keyUsage", "customerMasterKeySpec", "multiRegion"),
    "aws:route53/zone:Zone": ("name",),
    "random:index/randomId:RandomId": ("byteLength", "keepers", "prefix"),
}
