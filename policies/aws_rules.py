"""AWS rules: EKS control plane, KMS, node launch templates, node groups, security groups, peering."""

from __future__ import annotations

import ipaddress
import json
from typing import Any

from pulumi_policy import ResourceValidationArgs

from inferadb.facts.catalog import has_local_nvme
from inferadb.facts.ports import LEDGER_PORT
from policies.support import SECURITY_GROUP_INGRESS, Report, rule

CLUSTER = "aws:eks/cluster:Cluster"
LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate"
NODE_GROUP = "aws:eks/nodeGroup:NodeGroup"
LOG_TYPES = {"api", "audit", "authenticator", "controllerManager", "scheduler"}
GUARDED_PORTS = (LEDGER_PORT,)
OPEN = {"0.0.0.0/0", "::/0"}


def eks_secrets_kms(args: ResourceValidationArgs, report: Report) -> None:
    if args.resource_type == CLUSTER:
        encryption = args.props.get("encryptionConfig") or {}
        if "secrets" not in (encryption.get("resources") or []) or not (encryption.get("provider") or {}).get("keyArn"):
            report("EKS secrets are not envelope-encrypted with a customer-managed KMS key", None)


def kms_rotation(args: ResourceValidationArgs, report: Report) -> None:
    if args.resource_type == "aws:kms/key:Key":
        if args.props.get("enableKeyRotation") is not True:
            report("KMS key rotation is off", None)
        if int(args.props.get("deletionWindowInDays") or 30) < 7:
            report("KMS deletion window is under 7 days", None)
        statements = json.loads(args.props.get("policy") or '{"Statement": []}').get("Statement", [])
        if any(s.get("Principal") in ("*", {"AWS": "*"}) for s in statements):
            report("KMS key policy grants a '*' principal", None)


def eks_private_endpoint(args: ResourceValidationArgs, report: Report) -> None:
    if args.resource_type == CLUSTER:
        vpc = args.props.get("vpcConfig") or {}
        if vpc.get("endpointPrivateAccess") is not True:
            report("EKS private endpoint access is off", None)
        cidrs = set(vpc.get("publicAccessCidrs") or [])
        if vpc.get("endpointPublicAccess") and (not cidrs or cidrs & OPEN):
            report("EKS public endpoint is open to the internet (no allow-list)", None)


def eks_explicit_access(args: ResourceValidationArgs, report: Report) -> None:
    if args.resource_type == CLUSTER:
        access = args.props.get("accessConfig") or {}
        if access.get("authenticationMode") != "API" or access.get("bootstrapClusterCreatorAdminPermissions"):
            report("cluster access is not by explicit access entries only (API mode, no implicit creator admin)", None)


def eks_logging(args: ResourceValidationArgs, report: Report) -> None:
    if args.resource_type == CLUSTER:
        missing = LOG_TYPES - set(args.props.get("enabledClusterLogTypes") or [])
        if missing:
            report(f"control-plane log types not enabled: {', '.join(sorted(missing))}", None)


def imdsv2(args: ResourceValidationArgs, report: Report) -> None:
    if args.resource_type == LAUNCH_TEMPLATE:
        metadata = args.props.get("metadataOptions") or {}
        if metadata.get("httpTokens") != "required":
            report("launch template does not require IMDSv2 (httpTokens=required)", None)
        if int(metadata.get("httpPutResponseHopLimit") or 1) > 2:
            report("IMDS hop limit above 2 lets containers reach the node's credentials", None)


def encrypted_root(args: ResourceValidationArgs, report: Report) -> None:
    if args.resource_type == LAUNCH_TEMPLATE:
        for mapping in args.props.get("blockDeviceMappings") or []:
            if str((mapping.get("ebs") or {}).get("encrypted")).lower() != "true":
                report(f"volume {mapping.get('deviceName')} is not encrypted", None)


def ledger_nvme(args: ResourceValidationArgs, report: Report) -> None:
    if args.resource_type == NODE_GROUP and (args.props.get("labels") or {}).get("inferadb.io/pool") == "ledger":
        for itype in args.props.get("instanceTypes") or []:
            if not has_local_nvme(itype):
                report(f"Ledger node group uses {itype}, which has no local NVMe", None)


def one_node_at_a_time(args: ResourceValidationArgs, report: Report) -> None:
    if args.resource_type == NODE_GROUP:
        update = args.props.get("updateConfig") or {}
        if update.get("maxUnavailable") != 1:
            report("node group may replace more than one node at a time (updateConfig.maxUnavailable != 1)", None)


def nodes_private(args: ResourceValidationArgs, report: Report) -> None:
    if args.resource_type == LAUNCH_TEMPLATE:
        for interface in args.props.get("networkInterfaces") or []:
            if str(interface.get("associatePublicIpAddress")).lower() == "true":
                report("node launch template gives nodes public IP addresses", None)
    elif args.resource_type == "aws:ec2/subnet:Subnet" and args.props.get("mapPublicIpOnLaunch"):
        report("subnet hands out public IP addresses on launch", None)
    elif args.resource_type == NODE_GROUP and args.props.get("remoteAccess"):
        report("node group opens SSH remote access", None)


def _covers(props: dict[str, Any], port: int) -> bool:
    low, high = props.get("fromPort"), props.get("toPort")
    if props.get("ipProtocol") in ("-1", "all"):
        return True
    return low is not None and high is not None and int(low) <= port <= int(high)


def no_open_ledger_ports(args: ResourceValidationArgs, report: Report) -> None:
    rules: list[dict[str, Any]] = []
    if args.resource_type == SECURITY_GROUP_INGRESS:
        rules = [{**args.props, "cidrs": [args.props.get("cidrIpv4"), args.props.get("cidrIpv6")]}]
    elif args.resource_type == "aws:ec2/securityGroup:SecurityGroup":
        rules = [
            {**r, "cidrs": [*(r.get("cidrBlocks") or []), *(r.get("ipv6CidrBlocks") or [])]}
            for r in args.props.get("ingress") or []
        ]
    elif args.resource_type == "aws:ec2/securityGroupRule:SecurityGroupRule" and args.props.get("type") == "ingress":
        rules = [
            {
                **args.props,
                "ipProtocol": args.props.get("protocol"),
                "cidrs": [*(args.props.get("cidrBlocks") or []), *(args.props.get("ipv6CidrBlocks") or [])],
            }
        ]
    for item in rules:
        for port in GUARDED_PORTS:
            if _covers(item, port) and set(filter(None, item["cidrs"])) & OPEN:
                report(f"port {port} is open to the internet", None)


def listeners_encrypted(args: ResourceValidationArgs, report: Report) -> None:
    """Only Ledger's own port (its peers and clients speak plaintext gRPC inside the private path)
    may be plain TCP; anything else a load balancer listens on is TLS or HTTPS."""
    if args.resource_type == "aws:lb/listener:Listener":
        port, protocol = int(args.props.get("port") or 0), str(args.props.get("protocol") or "")
        if port != LEDGER_PORT and protocol not in ("TLS", "HTTPS"):
            report(f"listener on {port} speaks {protocol or 'an unset protocol'}, not TLS or HTTPS", None)


def peering_routes_scoped(args: ResourceValidationArgs, report: Report) -> None:
    if args.resource_type == "aws:ec2/route:Route" and args.props.get("vpcPeeringConnectionId"):
        destination = args.props.get("destinationCidrBlock") or "0.0.0.0/0"
        if not ipaddress.ip_network(destination).is_private or destination == "0.0.0.0/0":
            report(f"peering route to {destination}: only a peer VPC's private CIDR may go over a peering", None)


POLICIES = [
    rule(
        "aws-eks-secrets-kms",
        "EKS secrets are envelope-encrypted with a customer-managed KMS key (CIS 5.3.1)",
        "Set encryptionConfig with resources [secrets] and a KMS key ARN.",
        eks_secrets_kms,
    ),
    rule(
        "aws-kms-key-hardened",
        "KMS keys rotate, keep a 7+ day deletion window, and grant no '*' principal",
        "enable_key_rotation=True, deletion_window_in_days >= 7, a key policy naming the account root.",
        kms_rotation,
    ),
    rule(
        "aws-eks-endpoint-private",
        "The EKS API endpoint is private; public only with an allow-list (CIS 5.4.2)",
        "Keep endpointPrivateAccess on; set eks.api_access.public_cidrs instead of opening the endpoint.",
        eks_private_endpoint,
    ),
    rule(
        "aws-eks-explicit-access",
        "Cluster access comes from explicit access entries: API mode, no implicit creator admin",
        "access_config: authentication_mode API, bootstrap_cluster_creator_admin_permissions False.",
        eks_explicit_access,
    ),
    rule(
        "aws-eks-control-plane-logging",
        "All five control-plane log types are enabled (CIS 2.1.1)",
        "enabled_cluster_log_types = api, audit, authenticator, controllerManager, scheduler.",
        eks_logging,
    ),
    rule(
        "aws-node-imdsv2",
        "Node launch templates require IMDSv2 with a low hop limit",
        "metadata_options: http_tokens=required, http_put_response_hop_limit=1.",
        imdsv2,
    ),
    rule(
        "aws-ebs-encrypted",
        "Node root volumes are encrypted",
        "Set ebs.encrypted=true (with a KMS key).",
        encrypted_root,
    ),
    rule(
        "aws-nodes-private",
        "Nodes get no public IPs and no SSH remote access (CIS 5.4.3)",
        "Keep nodes in private subnets without public IPs; use SSM, not SSH.",
        nodes_private,
    ),
    rule(
        "ledger-nodegroup-nvme",
        "The Ledger node group runs only instance types with local NVMe",
        "Use i4i, i3en, i7ie, m6id, r6id, m7gd, ... in node_groups.ledger.instance_types.",
        ledger_nvme,
    ),
    rule(
        "aws-nodegroup-one-at-a-time",
        "Node groups replace one node at a time, so Raft keeps quorum",
        "update_config.max_unavailable = 1.",
        one_node_at_a_time,
    ),
    rule(
        "aws-sg-ledger-ports-closed",
        "Ledger (50051) is never open to 0.0.0.0/0 or ::/0",
        "Admit peer subnets by CIDR only.",
        no_open_ledger_ports,
    ),
    rule(
        "aws-lb-listeners-encrypted",
        "A load balancer listens in TLS or HTTPS, except Ledger's private 50051",
        "Use a TLS listener with an ACM certificate (control.access does).",
        listeners_encrypted,
    ),
    rule(
        "aws-peering-routes-scoped",
        "Routes over a peering go only to a peer's private CIDR",
        "Route only the peer VPC's CIDR through the peering connection.",
        peering_routes_scoped,
    ),
]
