"""ClientAccess: Control reachable from outside its cluster, in one region (`control.access`).

A network load balancer (internet-facing or internal) terminates TLS on 443 with an ACM certificate
for the public name, validated through the public zone, and forwards to Control's NodePort on the
general pool's nodes (instance targets, health check `/readyz`). No plain-HTTP listener exists (the
policy pack refuses one). Each region writes its own record of the one public name: failover
(PRIMARY in the primary, SECONDARY elsewhere) or latency routing, each with a health check. Route 53's
checkers cannot reach an internal load balancer, so an internal one is judged by a CloudWatch alarm
on its healthy targets instead (Route 53 developer guide, "Health checks that monitor CloudWatch
alarms").
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components.shared.firewall import Rule, add_rules
from components.shared.tags import named
from inferadb.facts.ports import HTTPS_PORT
from inferadb.plan.clients import AccessPlan

TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06"


@dataclass(frozen=True)
class ClientAccessArgs:
    region: str
    access: AccessPlan
    vpc_id: pulumi.Input[str]
    subnet_ids: pulumi.Input[list[str]]
    """Public subnets for an internet-facing load balancer, private ones for an internal one."""
    node_security_group_id: pulumi.Input[str]
    general_autoscaling_group: pulumi.Input[str]
    tags: dict[str, str]


class ClientAccess(pulumi.ComponentResource):
    load_balancer: aws.lb.LoadBalancer

    def __init__(self, name: str, args: ClientAccessArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("inferadb:network:ClientAccess", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        access = args.access
        group = self._security_group(name, args, child)
        self.load_balancer = aws.lb.LoadBalancer(
            f"{name}-lb",
            name=f"control-{args.region}",
            load_balancer_type="network",
            internal=not access.internet_facing,
            subnets=args.subnet_ids,
            security_groups=[group.id],
            enable_cross_zone_load_balancing=True,
            tags=named(args.tags, f"control-{args.region}"),
            opts=child,
        )
        targets = aws.lb.TargetGroup(
            f"{name}-targets",
            port=access.node_port,
            protocol="TCP",
            target_type="instance",
            vpc_id=args.vpc_id,
            health_check=aws.lb.TargetGroupHealthCheckArgs(protocol="HTTP", path="/readyz", port="traffic-port"),
            tags=named(args.tags, f"{name}-targets"),
            opts=child,
        )
        aws.autoscaling.Attachment(
            f"{name}-targets",
            autoscaling_group_name=args.general_autoscaling_group,
            lb_target_group_arn=targets.arn,
            opts=child,
        )
        zone = aws.route53.get_zone_output(
            name=access.public_zone, private_zone=False, opts=pulumi.InvokeOutputOptions(parent=self)
        )
        certificate = self._certificate(name, args, zone.zone_id, child)
        aws.lb.Listener(
            f"{name}-tls",
            load_balancer_arn=self.load_balancer.arn,
            port=HTTPS_PORT,
            protocol="TLS",
            ssl_policy=TLS_POLICY,
            certificate_arn=certificate.certificate_arn,
            default_actions=[aws.lb.ListenerDefaultActionArgs(type="forward", target_group_arn=targets.arn)],
            tags=named(args.tags, f"{name}-tls"),
            opts=child,
        )
        self._record(name, args, zone.zone_id, self._health_check(name, args, targets, child), child)
        self.register_outputs({"dns_name": self.load_balancer.dns_name})

    def _security_group(
        self, name: str, args: ClientAccessArgs, child: pulumi.ResourceOptions
    ) -> aws.ec2.SecurityGroup:
        group = aws.ec2.SecurityGroup(
            f"{name}-sg",
            vpc_id=args.vpc_id,
            description=f"InferaDB Control's load balancer in {args.region}: TLS from the allowed ranges",
            tags=named(args.tags, f"{name}-sg"),
            opts=child,
        )
        port = (args.access.node_port, args.access.node_port)
        rules = [
            Rule(f"in-tls-{i}", "in", "tcp", (HTTPS_PORT, HTTPS_PORT), cidr, f"TLS to Control from {cidr}")
            for i, cidr in enumerate(args.access.allowed_cidrs)
        ]
        rules.append(Rule("to-nodes", "out", "tcp", port, args.node_security_group_id, "Control's NodePort", True))
        add_rules(name, group.id, rules, args.tags, child)
        add_rules(
            name,
            args.node_security_group_id,
            [Rule("nodes-from-lb", "in", "tcp", port, group.id, "Control's NodePort from its load balancer", True)],
            args.tags,
            child,
        )
        return group

    def _certificate(
        self, name: str, args: ClientAccessArgs, zone_id: pulumi.Input[str], child: pulumi.ResourceOptions
    ) -> aws.acm.CertificateValidation:
        certificate = aws.acm.Certificate(
            f"{name}-cert",
            domain_name=args.access.hostname,
            validation_method="DNS",
            tags=named(args.tags, f"{name}-cert"),
            opts=child,
        )
        option = certificate.domain_validation_options.apply(lambda options: options[0])
        # Every region asks for a certificate of the same name, and ACM answers the same CNAME in each
        # (hashicorp/terraform-provider-aws#13653): allow_overwrite lets each region's record adopt it.
        record = aws.route53.Record(
            f"{name}-validation",
            zone_id=zone_id,
            name=option.apply(lambda o: o.resource_record_name or ""),
            type=option.apply(lambda o: o.resource_record_type or "CNAME"),
            records=[option.apply(lambda o: o.resource_record_value or "")],
            ttl=300,
            allow_overwrite=True,
            opts=child,
        )
        return aws.acm.CertificateValidation(
            f"{name}-cert",
            certificate_arn=certificate.arn,
            validation_record_fqdns=[record.fqdn],
            opts=child,
        )

    def _health_check(
        self, name: str, args: ClientAccessArgs, targets: aws.lb.TargetGroup, child: pulumi.ResourceOptions
    ) -> aws.route53.HealthCheck:
        if args.access.internet_facing:
            return aws.route53.HealthCheck(
                f"{name}-health",
                type="HTTPS",
                fqdn=self.load_balancer.dns_name,
                port=HTTPS_PORT,
                resource_path="/readyz",
                failure_threshold=3,
                request_interval=30,
                tags=named(args.tags, f"{name}-health"),
                opts=child,
            )
        alarm = aws.cloudwatch.MetricAlarm(
            f"{name}-healthy-targets",
            namespace="AWS/NetworkELB",
            metric_name="HealthyHostCount",
            dimensions={"LoadBalancer": self.load_balancer.arn_suffix, "TargetGroup": targets.arn_suffix},
            statistic="Minimum",
            period=60,
            evaluation_periods=2,
            threshold=1,
            comparison_operator="LessThanThreshold",
            treat_missing_data="breaching",
            tags=named(args.tags, f"{name}-healthy-targets"),
            opts=child,
        )
        return aws.route53.HealthCheck(
            f"{name}-health",
            type="CLOUDWATCH_METRIC",
            cloudwatch_alarm_name=alarm.name,
            cloudwatch_alarm_region=args.region,
            insufficient_data_health_status="Unhealthy",
            tags=named(args.tags, f"{name}-health"),
            opts=child,
        )

    def _record(
        self,
        name: str,
        args: ClientAccessArgs,
        zone_id: pulumi.Input[str],
        health: aws.route53.HealthCheck,
        child: pulumi.ResourceOptions,
    ) -> None:
        access = args.access
        failover = access.routing == "failover"
        aws.route53.Record(
            f"{name}-record",
            zone_id=zone_id,
            name=access.hostname,
            type="A",
            set_identifier=args.region,
            health_check_id=health.id,
            aliases=[
                aws.route53.RecordAliasArgs(
                    name=self.load_balancer.dns_name, zone_id=self.load_balancer.zone_id, evaluate_target_health=True
                )
            ],
            failover_routing_policies=(
                [aws.route53.RecordFailoverRoutingPolicyArgs(type=access.failover_role)] if failover else None
            ),
            latency_routing_policies=(
                None if failover else [aws.route53.RecordLatencyRoutingPolicyArgs(region=args.region)]
            ),
            opts=child,
        )
