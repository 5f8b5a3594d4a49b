"""SubnetRouter: a Tailscale subnet router in every zone of a region, carrying Ledger traffic site to site.

Each is an instance in its zone's public subnet with a public address and UDP 41641 open, so routers
of different regions reach each other directly instead of through DERP relays (two NAT gateways
between peers almost never allow a direct path). Source/destination checking is off: it forwards
packets that are neither from nor for itself. A zone's router advertises only its zone's private
subnet, and its zone's private route table sends the other regions' private subnets to it (plan:
`ZoneRouter`): losing a router cuts off its zone only, which the failure table counts as that zone's
loss. The routers share one auth key, role and security group. EC2 automatic recovery keeps an
instance, its interface and its addresses on a host failure, so the routes stay valid; a replaced
instance changes the interface and its zone's routes follow on the same `pulumi up`. The addresses
are the instances' own public IPv4 addresses, not Elastic IPs: three NAT gateways and three routers
would pass a region's default quota of five (the address changes only on a stop and start).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws
import pulumi_command as command
import pulumi_tailscale as tailscale

from components.connectivity.tailscale_policy import declared
from components.shared.firewall import Rule, add_rules, fragmentation_needed
from components.shared.iam import service_trust
from components.shared.tags import named
from inferadb.facts.ports import LEDGER_PORT
from inferadb.facts.tailnet_acl import ROUTER_TAG
from inferadb.plan.region import RouterPlan, ZoneRouter
from inferadb.plan.router_boot import status_prefix, user_data, wait_for_report

WIREGUARD_PORT = 41641  # tailscaled's default UDP port
AMI_PARAMETER = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-{arch}"
ROOT_VOLUME_GIB = 8


@dataclass(frozen=True)
class SubnetRouterArgs:
    region: str
    router: RouterPlan
    vpc_id: pulumi.Input[str]
    public_subnet_ids: pulumi.Input[list[str]]
    """One per zone, in zone order (each router goes to its zone's)."""
    route_table_ids: Sequence[pulumi.Input[str]]
    expiry_seconds: int
    policy_ready: pulumi.Input[list[str]]
    """The tags the tailnet policy declares; the key waits for it (a data dependency across stacks)."""
    tags: dict[str, str]
    private_subnet_ids: pulumi.Input[list[str]] | None = None
    """One per zone, in zone order: where the routers go without a public address."""


class SubnetRouter(pulumi.ComponentResource):
    instances: list[aws.ec2.Instance]
    """One per zone, in zone order."""
    ready: list[command.local.Command]
    """Per zone: the deploy's wait for that router's boot report."""
    instance: aws.ec2.Instance
    """Zone 0's."""

    def __init__(self, name: str, args: SubnetRouterArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("inferadb:tailnet:SubnetRouter", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        parameter = self._auth_key(name, args, child)
        profile = self._profile(name, args, parameter, child)
        group = self._security_group(name, args, child)
        router = args.router
        image = AMI_PARAMETER.format(arch="arm64" if router.arm else "x86_64")
        ami = aws.ssm.get_parameter_output(name=image, opts=pulumi.InvokeOutputOptions(parent=self))
        # One router at a time, each only after the previous one reported a finished boot (its tailnet
        # address, in SSM): a change that replaces the routers rolls through the zones, never all at
        # once, and a zone's route moves to its new router only once that router is up.
        self.instances, self.ready = [], []
        previous: list[pulumi.Resource] = []
        for zone in router.zones:
            instance = self._instance(name, args, zone, ami.value, group, profile, parameter, previous)
            ready = self._ready(name, args, zone, instance)
            self.instances.append(instance)
            self.ready.append(ready)
            previous = [ready]
        self.instance = self.instances[0]
        for zone, instance in zip(router.zones, self.instances, strict=True):
            self._status_alarm(name, args, zone, instance, child)
        # Each zone's private route table sends the other regions to its own zone's router. The names
        # are those of the one-router release, so an upgrade updates the routes' target in place.
        for index, table in enumerate(args.route_table_ids):
            for block, cidr in enumerate(router.remote_routes):
                aws.ec2.Route(
                    f"{name}-route-{index}-{block}",
                    route_table_id=table,
                    destination_cidr_block=cidr,
                    network_interface_id=self.instances[index].primary_network_interface_id,
                    opts=pulumi.ResourceOptions(parent=self, depends_on=[self.ready[index]]),
                )
        self.register_outputs({"instance_ids": [i.id for i in self.instances]})

    def _status_alarm(
        self,
        name: str,
        args: SubnetRouterArgs,
        zone: ZoneRouter,
        instance: aws.ec2.Instance,
        child: pulumi.ResourceOptions,
    ) -> None:
        """A router whose own status check fails (a hung OS: auto-recovery covers only the host's) is
        rebooted after three failed minutes; the alarm's state is its health, visible in CloudWatch."""
        aws.cloudwatch.MetricAlarm(
            f"{name}-status" + (f"-{zone.zone}" if zone.zone else ""),
            alarm_description=f"{zone.hostname}: instance status check failing (rebooted after 3 minutes)",
            namespace="AWS/EC2",
            metric_name="StatusCheckFailed_Instance",
            dimensions={"InstanceId": instance.id},
            statistic="Maximum",
            period=60,
            evaluation_periods=3,
            threshold=1,
            comparison_operator="GreaterThanOrEqualToThreshold",
            alarm_actions=[f"arn:aws:automate:{args.region}:ec2:reboot"],
            tags=named(args.tags, f"{zone.hostname}-status"),
            opts=child,
        )

    def _ready(
        self, name: str, args: SubnetRouterArgs, zone: ZoneRouter, instance: aws.ec2.Instance
    ) -> command.local.Command:
        """Runs where `pulumi up` runs (AWS CLI v2 and its credentials): waits for this instance's boot
        report; a new instance (a replacement) runs it again. Nothing runs in a preview."""
        return command.local.Command(
            f"{name}-ready" + (f"-{zone.zone}" if zone.zone else ""),
            create=instance.id.apply(lambda instance_id: wait_for_report(args.region, zone, instance_id)),
            triggers=[instance.id],
            interpreter=["/bin/bash", "-c"],
            opts=pulumi.ResourceOptions(parent=self),
        )

    def _instance(
        self,
        name: str,
        args: SubnetRouterArgs,
        zone: ZoneRouter,
        ami: pulumi.Input[str],
        group: aws.ec2.SecurityGroup,
        profile: aws.iam.InstanceProfile,
        parameter: aws.ssm.Parameter,
        after: list[pulumi.Resource],
    ) -> aws.ec2.Instance:
        router = args.router
        return aws.ec2.Instance(
            # Zone 0 keeps the one-router release's name: an upgrade replaces it (its boot changed) but
            # does not rename it.
            f"{name}-instance" + (f"-{zone.zone}" if zone.zone else ""),
            ami=ami,
            instance_type=router.instance_type,
            subnet_id=pulumi.Output.from_input(
                args.public_subnet_ids if router.public_address else (args.private_subnet_ids or [])
            ).apply(lambda ids: ids[zone.zone]),
            associate_public_ip_address=router.public_address,
            vpc_security_group_ids=[group.id],
            iam_instance_profile=profile.name,
            source_dest_check=False,
            metadata_options=aws.ec2.InstanceMetadataOptionsArgs(
                http_endpoint="enabled", http_tokens="required", http_put_response_hop_limit=1
            ),
            root_block_device=aws.ec2.InstanceRootBlockDeviceArgs(
                volume_type="gp3", volume_size=ROOT_VOLUME_GIB, encrypted=True, delete_on_termination=True
            ),
            maintenance_options=aws.ec2.InstanceMaintenanceOptionsArgs(auto_recovery="default"),
            # One-minute CloudWatch metrics: a router's trouble shows before the Ledger alerts do
            # (AWSGuard's ec2-instance-detailed-monitoring-enabled; updated in place).
            monitoring=True,
            user_data=parameter.name.apply(lambda key: user_data(router, zone, args.region, key)),
            user_data_replace_on_change=True,
            tags=named(args.tags, zone.hostname),
            # A newer image is taken when the router is replaced for another reason, never by itself.
            # The old router goes before its replacement comes: two routers advertising one zone's
            # subnet would split a flow's two directions between them, and the security groups, stateful
            # per interface, drop the half they did not see. The zone's path is down until the new one
            # reports its boot, one zone at a time.
            opts=pulumi.ResourceOptions(
                parent=self, ignore_changes=["ami"], depends_on=after, delete_before_replace=True
            ),
        )

    def _auth_key(self, name: str, args: SubnetRouterArgs, child: pulumi.ResourceOptions) -> aws.ssm.Parameter:
        key = tailscale.TailnetKey(
            f"{name}-key",
            description=f"inferadb router {args.region}",
            tags=pulumi.Output.from_input(args.policy_ready).apply(declared(ROUTER_TAG)),
            reusable=True,  # a replaced router instance logs in with the same key
            ephemeral=False,  # the router keeps its node identity on its disk
            preauthorized=True,
            expiry=args.expiry_seconds,
            recreate_if_invalid="always",  # an expired key is replaced on the next `pulumi up`
            opts=child,
        )
        return aws.ssm.Parameter(
            f"{name}-key",
            name=f"/inferadb/{args.region}/tailscale-router-auth-key",
            type="SecureString",
            value=key.key,
            description="Tailscale auth key of the InferaDB subnet router (read once at first boot)",
            tags=named(args.tags, f"{name}-key"),
            opts=child,
        )

    def _profile(
        self, name: str, args: SubnetRouterArgs, parameter: aws.ssm.Parameter, child: pulumi.ResourceOptions
    ) -> aws.iam.InstanceProfile:
        # Each router writes its boot report under its region's status prefix, and reads its key.
        reports = status_prefix(args.region)
        role = aws.iam.Role(
            f"{name}-role",
            assume_role_policy=service_trust("ec2.amazonaws.com"),
            tags=named(args.tags, f"{name}-role"),
            opts=child,
        )
        # Named for its first statement; it also writes the boot report. The name stays: renaming
        # it would change its URN and replace the live policy.
        aws.iam.RolePolicy(
            f"{name}-read-key",
            role=role.id,
            policy=parameter.arn.apply(
                lambda arn: json.dumps(
                    {
                        "Version": "2012-10-17",
                        "Statement": [
                            {"Effect": "Allow", "Action": "ssm:GetParameter", "Resource": arn},
                            {
                                "Effect": "Allow",
                                "Action": "ssm:PutParameter",
                                "Resource": f"arn:aws:ssm:{args.region}:*:parameter{reports}*",
                            },
                        ],
                    }
                )
            ),
            opts=child,
        )
        # Nothing else: no SSH key, no Session Manager. The router is configured at first boot and
        # replaced, not repaired; `tailscale status` of any tailnet device shows its state.
        return aws.iam.InstanceProfile(f"{name}-profile", role=role.name, opts=child)

    def _security_group(
        self, name: str, args: SubnetRouterArgs, child: pulumi.ResourceOptions
    ) -> aws.ec2.SecurityGroup:
        router = args.router
        group = aws.ec2.SecurityGroup(
            f"{name}-sg",
            vpc_id=args.vpc_id,
            description=f"InferaDB subnet router of {args.region}",
            tags=named(args.tags, f"{name}-sg"),
            opts=child,
        )
        wireguard = (WIREGUARD_PORT, WIREGUARD_PORT)
        ledger = (LEDGER_PORT, LEDGER_PORT)
        # Without a public address nothing reaches the router from outside: no WireGuard rule either.
        rules = (
            [Rule("in-wireguard", "in", "udp", wireguard, "0.0.0.0/0", "WireGuard from peers (authenticated)")]
            if router.public_address
            else []
        )
        rules += [
            Rule(f"in-ledger-{i}", "in", "tcp", ledger, cidr, f"Ledger to forward, from {cidr}")
            for i, cidr in enumerate(router.advertise_routes)
        ]
        # Peers' WireGuard and STUN ports are theirs to choose; the coordination server, DERP relays,
        # the package repository and SSM answer on 443; Ledger endpoints of this region on 50051.
        rules += [
            Rule("out-udp", "out", "udp", (0, 65535), "0.0.0.0/0", "WireGuard and STUN to peers"),
            Rule("out-https", "out", "tcp", (443, 443), "0.0.0.0/0", "coordination, DERP, packages, SSM"),
        ]
        rules += [
            Rule(f"out-ledger-{i}", "out", "tcp", ledger, block, f"Ledger endpoints {block}")
            for i, block in enumerate(router.endpoint_blocks)
        ]
        # Path MTU both ways between the router and the nodes it forwards for (the tunnel is 1280).
        rules += fragmentation_needed("in-icmp", "in", router.advertise_routes)
        rules += fragmentation_needed("out-icmp", "out", router.advertise_routes)
        add_rules(name, group.id, rules, args.tags, child)
        return group
