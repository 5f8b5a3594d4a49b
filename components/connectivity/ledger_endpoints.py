"""LedgerEndpoints: one internal Network Load Balancer per Ledger ordinal, at pinned addresses.

Ordinal n's load balancer takes address n of each zone's reserved endpoint block (the reservation is
made with the subnets, before any node can take the address) and forwards TCP 50051 to NodePort
31051 + n on the Ledger nodes, where a Service selecting exactly pod n answers. The addresses are
known at plan time, so JOIN is a list of literals and the ADVERTISE name resolves to them.

- Targets are the Ledger node group's instances (its Auto Scaling group is attached to every target
  group), so a replaced node is registered without a controller.
- Client-IP preservation is off (it is on by default for instance targets, and an internal NLB does
  not support hairpinning: a target dialling its own load balancer times out when routed to itself;
  ELB user guide, "Edit target group attributes" and "Troubleshoot your Network Load Balancer"); the
  pod sees a node address either way (kube-proxy masquerades NodePort traffic under
  `externalTrafficPolicy: Cluster`, Kubernetes Service API reference).
- The load balancers' security group admits 50051 from the private subnets of every region (where
  Ledger connections leave a VPC from) and reaches the nodes only on the Ledger NodePorts.
- Static addresses cannot move to a replacement while the old balancer holds them: a replacement
  deletes first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components.shared.firewall import Rule, add_rules, fragmentation_needed
from components.shared.outputs import item
from components.shared.tags import named
from inferadb.facts.ports import LEDGER_PORT
from inferadb.plan.addressing import LedgerEndpoint

HEALTH_CHECK_SECONDS = 10
DEREGISTRATION_DELAY_SECONDS = 30


@dataclass(frozen=True)
class LedgerEndpointsArgs:
    region: str
    vpc_id: pulumi.Input[str]
    private_subnet_ids: pulumi.Output[list[str]]
    """One per zone, in the order of each endpoint's addresses."""
    endpoints: tuple[LedgerEndpoint, ...]
    sources: tuple[str, ...]
    """CIDRs allowed to dial the endpoints on 50051: every region's private subnets."""
    icmp_sources: tuple[str, ...]
    """Where ICMP fragmentation-needed comes from: this VPC and the other regions' private subnets."""
    node_security_group_id: pulumi.Input[str]
    """The group the Ledger nodes carry (the EKS cluster security group)."""
    autoscaling_group_name: pulumi.Input[str]
    """The Ledger node group's Auto Scaling group."""
    tags: dict[str, str]


class LedgerEndpoints(pulumi.ComponentResource):
    load_balancers: list[aws.lb.LoadBalancer]
    ready: list[pulumi.Resource]
    """What must exist before a node is reachable at its literal: listeners and target attachments."""

    def __init__(self, name: str, args: LedgerEndpointsArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("inferadb:network:LedgerEndpoints", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        group = self._security_group(name, args, child)
        self.ready = []
        self.load_balancers = [self._endpoint(name, args, endpoint, group, child) for endpoint in args.endpoints]
        self.register_outputs({"load_balancers": [lb.arn for lb in self.load_balancers]})

    def _security_group(
        self, name: str, args: LedgerEndpointsArgs, child: pulumi.ResourceOptions
    ) -> aws.ec2.SecurityGroup:
        group = aws.ec2.SecurityGroup(
            f"{name}-sg",
            vpc_id=args.vpc_id,
            description=f"InferaDB Ledger endpoints of {args.region}: 50051 from every region's private subnets",
            tags=named(args.tags, f"{name}-ledger-endpoints"),
            opts=child,
        )
        ports = [e.node_port for e in args.endpoints]
        node_ports = (min(ports), max(ports))
        sources = [
            Rule(f"from-{i}", "in", "tcp", (LEDGER_PORT, LEDGER_PORT), cidr, f"Ledger from {cidr}")
            for i, cidr in enumerate(args.sources)
        ]
        nodes = args.node_security_group_id
        add_rules(
            name,
            group.id,
            [
                *sources,
                *fragmentation_needed("icmp-in", "in", args.icmp_sources),
                Rule("to-nodes", "out", "tcp", node_ports, nodes, "Ledger NodePorts and health checks", True),
            ],
            args.tags,
            child,
        )
        # On the nodes' group: the NodePorts from the endpoints (client addresses are not preserved).
        add_rules(
            name,
            nodes,
            [
                Rule(
                    "nodes-from-endpoints",
                    "in",
                    "tcp",
                    node_ports,
                    group.id,
                    "Ledger NodePorts from the endpoints",
                    True,
                ),
                *fragmentation_needed("nodes-icmp", "in", args.icmp_sources),
            ],
            args.tags,
            child,
        )
        return group

    def _endpoint(
        self,
        name: str,
        args: LedgerEndpointsArgs,
        endpoint: LedgerEndpoint,
        group: aws.ec2.SecurityGroup,
        child: pulumi.ResourceOptions,
    ) -> aws.lb.LoadBalancer:
        label = f"{name}-{endpoint.ordinal}"
        tags = named(args.tags, endpoint.name)
        targets = aws.lb.TargetGroup(
            label,
            name_prefix=f"ldg{endpoint.ordinal}-",
            port=endpoint.node_port,
            protocol="TCP",
            target_type="instance",
            vpc_id=args.vpc_id,
            preserve_client_ip="false",
            connection_termination=True,
            deregistration_delay=DEREGISTRATION_DELAY_SECONDS,
            health_check=aws.lb.TargetGroupHealthCheckArgs(
                protocol="TCP",
                port="traffic-port",
                interval=HEALTH_CHECK_SECONDS,
                healthy_threshold=2,
                unhealthy_threshold=2,
            ),
            tags=tags,
            opts=child,
        )
        balancer = aws.lb.LoadBalancer(
            label,
            name=_balancer_name(endpoint),
            load_balancer_type="network",
            internal=True,
            security_groups=[group.id],
            enable_cross_zone_load_balancing=True,
            subnet_mappings=[
                aws.lb.LoadBalancerSubnetMappingArgs(
                    subnet_id=args.private_subnet_ids.apply(item(zone)), private_ipv4_address=address
                )
                for zone, address in enumerate(endpoint.addresses)
            ],
            tags=tags,
            opts=pulumi.ResourceOptions.merge(child, pulumi.ResourceOptions(delete_before_replace=True)),
        )
        listener = aws.lb.Listener(
            label,
            load_balancer_arn=balancer.arn,
            port=LEDGER_PORT,
            protocol="TCP",
            default_actions=[aws.lb.ListenerDefaultActionArgs(type="forward", target_group_arn=targets.arn)],
            tags=tags,
            opts=child,
        )
        attachment = aws.autoscaling.Attachment(
            label, autoscaling_group_name=args.autoscaling_group_name, lb_target_group_arn=targets.arn, opts=child
        )
        self.ready += [listener, attachment]
        return balancer


def _balancer_name(endpoint: LedgerEndpoint) -> str:
    """`ledger-<region>-<n>`: at most 32 characters (the longest region id is 14)."""
    return f"ledger-{endpoint.region}-{endpoint.ordinal}"


def endpoint_records(endpoints: Sequence[LedgerEndpoint]) -> dict[str, tuple[str, ...]]:
    return {endpoint.name: endpoint.addresses for endpoint in endpoints}
