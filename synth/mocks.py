"""Answers the mock monitor gives: plausible ids and computed outputs, data sources, stack references.

Only what the program reads back needs an answer; everything else echoes the inputs, which is
what a real create returns for the properties this program sets.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable
from typing import Any

import pulumi

from inferadb.facts.catalog import default_zone_names

ACCOUNT_ID = "123456789012"  # the documented placeholder account id
STACK_REFERENCE = "pulumi:pulumi:StackReference"
DEPLOY_ROLE = "inferadb-deploy"

# Id prefixes of the AWS resources the program reads ids from, as AWS formats them.
_ID_PREFIX = {
    "aws:ec2/vpc:Vpc": "vpc",
    "aws:ec2/subnet:Subnet": "subnet",
    "aws:ec2/routeTable:RouteTable": "rtb",
    "aws:ec2/internetGateway:InternetGateway": "igw",
    "aws:ec2/natGateway:NatGateway": "nat",
    "aws:ec2/eip:Eip": "eipalloc",
    "aws:ec2/securityGroup:SecurityGroup": "sg",
    "aws:ec2/launchTemplate:LaunchTemplate": "lt",
    "aws:ec2/flowLog:FlowLog": "fl",
    "aws:ec2/vpcPeeringConnection:VpcPeeringConnection": "pcx",
    "aws:route53/zone:Zone": "Z",
    "aws:ec2/instance:Instance": "i",
}


class SynthMocks(pulumi.runtime.Mocks):
    """Mocks for one stack; `stack_outputs` answers StackReferences to stacks evaluated before."""

    def __init__(self, region: str, stack_outputs: dict[str, dict[str, Any]]) -> None:
        self.region = region
        self.stack_outputs = stack_outputs

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str | None, dict[str, Any]]:
        if args.typ == STACK_REFERENCE:
            return self._stack_reference(args)
        resource_id = self._id(args)
        state = dict(args.inputs)
        computed = _COMPUTED.get(args.typ)
        if computed is not None:
            state.update(computed(self.region, args.name, resource_id, state))
        if args.typ.startswith("aws:"):
            service = args.typ.split(":")[1].split("/")[0]
            state.setdefault("arn", f"arn:aws:{service}:{self.region}:{ACCOUNT_ID}:{args.name}/{resource_id}")
        return resource_id, state

    def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict[str, Any], list[tuple[str, str]] | None]:
        # Failures must be a list: the SDK's MockMonitor iterates them whenever a tuple comes back.
        if args.token == "aws:index/getAvailabilityZones:getAvailabilityZones":
            names = default_zone_names(self.region)
            zone_ids = [f"{self.region[:3]}{self.region[-1]}-az{i + 1}" for i in range(len(names))]
            return {"names": names, "zoneIds": zone_ids, "id": self.region}, []
        if args.token == "aws:index/getCallerIdentity:getCallerIdentity":
            # A CI deploy role's session, as `configure-aws-credentials` gives one.
            arn = f"arn:aws:sts::{ACCOUNT_ID}:assumed-role/{DEPLOY_ROLE}/synth"
            return {"accountId": ACCOUNT_ID, "arn": arn, "userId": "AROASYNTH:synth"}, []
        if args.token == "aws:iam/getSessionContext:getSessionContext":
            issuer = f"arn:aws:iam::{ACCOUNT_ID}:role/{DEPLOY_ROLE}"
            return {"arn": args.args["arn"], "issuerArn": issuer, "issuerName": DEPLOY_ROLE, "sessionName": "synth"}, []
        if args.token == "aws:ssm/getParameter:getParameter":
            # The public parameters of the Amazon Linux images answer with an AMI id.
            image = "ami-" + hashlib.sha256(f"{self.region}/{args.args['name']}".encode()).hexdigest()[:17]
            return {"name": args.args["name"], "value": image, "type": "String", "id": args.args["name"]}, []
        if args.token == "aws:route53/getZone:getZone":
            zone_id = "Z" + hashlib.sha256(str(args.args.get("name")).encode()).hexdigest()[:12].upper()
            return {"name": args.args.get("name"), "zoneId": zone_id, "id": zone_id}, []
        if args.token == "aws:index/getPartition:getPartition":
            return {"partition": "aws", "dnsSuffix": "amazonaws.com"}, []
        return {}, []

    def _stack_reference(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        # Under mocks a StackReference arrives as ReadResource; answer with recorded exports.
        full_name = str(args.inputs.get("name", args.name))
        stack = full_name.rsplit("/", 1)[-1]
        exports = self.stack_outputs.get(stack, {})
        return full_name, {
            "name": full_name,
            "outputs": exports.get("outputs", {}),
            "secretOutputNames": exports.get("secret_outputs", []),
        }

    def _id(self, args: pulumi.runtime.MockResourceArgs) -> str:
        if args.typ == "aws:ec2/vpcPeeringConnectionAccepter:VpcPeeringConnectionAccepter":
            return str(args.inputs["vpcPeeringConnectionId"])  # AWS: the accepter is the connection
        digest = hashlib.sha256(f"{self.region}/{args.typ}/{args.name}".encode()).hexdigest()
        prefix = _ID_PREFIX.get(args.typ)
        return f"{prefix}-{digest[:17]}" if prefix else f"{args.name}-{digest[:8]}"


# Outputs AWS computes on create that the program reads back (endpoint, CA, OIDC issuer, ...).
Computed = Callable[[str, str, str, dict[str, Any]], dict[str, Any]]


def _eks_cluster(region: str, name: str, resource_id: str, state: dict[str, Any]) -> dict[str, Any]:
    oidc_id = hashlib.sha256(name.encode()).hexdigest()[:32].upper()
    return {
        "endpoint": f"https://{oidc_id}.gr7.{region}.eks.amazonaws.com",
        "certificateAuthority": {"data": base64.b64encode(b"synth-placeholder-ca").decode()},
        "identities": [{"oidcs": [{"issuer": f"https://oidc.eks.{region}.amazonaws.com/id/{oidc_id}"}]}],
        "vpcConfig": {**state.get("vpcConfig", {}), "clusterSecurityGroupId": f"sg-{oidc_id[:17].lower()}"},
        "arn": f"arn:aws:eks:{region}:{ACCOUNT_ID}:cluster/{state.get('name', name)}",
    }


def _iam_role(region: str, name: str, resource_id: str, state: dict[str, Any]) -> dict[str, Any]:
    role_name = state.get("name") or f"{name}-{resource_id[-7:]}"
    return {"name": role_name, "arn": f"arn:aws:iam::{ACCOUNT_ID}:role/{role_name}"}


def _oidc_provider(region: str, name: str, resource_id: str, state: dict[str, Any]) -> dict[str, Any]:
    host = str(state.get("url", "")).removeprefix("https://")
    return {"arn": f"arn:aws:iam::{ACCOUNT_ID}:oidc-provider/{host}"}


def _kms_key(region: str, name: str, resource_id: str, state: dict[str, Any]) -> dict[str, Any]:
    return {"keyId": resource_id, "arn": f"arn:aws:kms:{region}:{ACCOUNT_ID}:key/{resource_id}"}


_COMPUTED: dict[str, Computed] = {
    "aws:eks/cluster:Cluster": _eks_cluster,
    "aws:iam/role:Role": _iam_role,
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider": _oidc_provider,
    "aws:kms/key:Key": _kms_key,
    "aws:ec2/launchTemplate:LaunchTemplate": lambda *_: {"latestVersion": 1},
    "aws:route53/zone:Zone": lambda region, name, resource_id, state: {"zoneId": resource_id},
    "aws:ec2/instance:Instance": lambda region, name, resource_id, state: {
        "primaryNetworkInterfaceId": "eni-" + hashlib.sha256(f"{region}/{name}".encode()).hexdigest()[:17]
    },
    # EKS names a managed node group's Auto Scaling group eks-<group>-<uuid>.
    "aws:eks/nodeGroup:NodeGroup": lambda region, name, resource_id, state: {
        "resources": [{"autoscalingGroups": [{"name": f"eks-{name}-{resource_id[-8:]}"}]}]
    },
    # ACM answers with the CNAME that proves the domain is ours (DNS validation).
    "aws:acm/certificate:Certificate": lambda region, name, resource_id, state: {
        "domainValidationOptions": [
            {
                "domainName": state.get("domainName", ""),
                "resourceRecordName": f"_{resource_id[-8:]}.{state.get('domainName', '')}.",
                "resourceRecordType": "CNAME",
                "resourceRecordValue": f"_{resource_id[-8:]}.acm-validations.aws.",
            }
        ]
    },
    "aws:lb/loadBalancer:LoadBalancer": lambda region, name, resource_id, state: {
        "dnsName": f"{state.get('name', name)}-{resource_id[-8:]}.elb.{region}.amazonaws.com",
        "zoneId": "Z1H1FL5HABSF5",
        "arnSuffix": f"net/{state.get('name', name)}/{resource_id[-8:]}",
    },
    # A recognisable fake: it must never appear in any file synth writes (the tests look for it).
    "tailscale:index/tailnetKey:TailnetKey": lambda region, name, *_: {"key": f"tskey-auth-synth-{region}-{name}"},
    # The same kind of fake for generated keys: 64 hex characters, as the binaries parse them.
    "random:index/randomId:RandomId": lambda region, name, *_: {
        "hex": hashlib.sha256(f"synth-{name}".encode()).hexdigest()
    },
}
