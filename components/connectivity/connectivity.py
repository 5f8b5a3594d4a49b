"""Connectivity: how Ledger nodes of different regions reach each other, chosen by the topology.

In both modes every Ledger node has a stable address (LedgerEndpoints) and a name in the shared
private zone (LedgerDns); the mode decides the path between VPCs: VPC peering, or a Tailscale subnet
router in every zone. Both end in the same `LedgerWiring` the workloads consume: the address each pod
advertises and the seed list every region joins with.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_aws as aws

from components.connectivity.ledger_dns import LedgerDns, LedgerDnsArgs
from components.connectivity.ledger_endpoints import LedgerEndpoints, LedgerEndpointsArgs, endpoint_records
from components.connectivity.peering import PeeringArgs, PeerSide, VpcPeering
from components.connectivity.tailscale_policy import TailnetPolicy
from components.connectivity.tailscale_router import SubnetRouter, SubnetRouterArgs
from components.shared.earlier import EarlierRegion
from components.shared.ledger_wiring import LedgerWiring
from components.shared.outputs import item
from inferadb.facts.tailnet_acl import ROUTER_TAG
from inferadb.plan.region import LedgerPlan, NetworkPlan, PeeringPlan, TailnetPlan


@dataclass(frozen=True)
class RegionSide:
    """What the connectivity layer needs of its own region's network and cluster."""

    vpc_id: pulumi.Input[str]
    private_subnet_ids: pulumi.Output[list[str]]
    public_subnet_ids: pulumi.Output[list[str]]
    route_table_ids: list[pulumi.Input[str]]
    cluster_security_group_id: pulumi.Input[str]
    ledger_autoscaling_group: pulumi.Input[str]


@dataclass(frozen=True)
class ConnectivityArgs:
    region: str
    primary: str
    mode: TailnetPlan | PeeringPlan
    ledger: LedgerPlan
    network: NetworkPlan
    side: RegionSide
    earlier: Mapping[str, EarlierRegion]
    peer_providers: Mapping[str, aws.Provider]
    tags: dict[str, str]
    keep: bool = True
    """Protect what holds data or identity (everywhere but a dev estate: components/shared/protection.py)."""


class Connectivity(pulumi.ComponentResource):
    wiring: LedgerWiring
    exports: dict[str, pulumi.Input[Any]]
    """Stack outputs later regions read (the tailnet policy's tags, the Ledger zone)."""
    endpoints: LedgerEndpoints

    def __init__(self, name: str, args: ConnectivityArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("inferadb:network:Connectivity", name, None, opts)
        self.exports = {}
        self.endpoints, records = self._endpoints(name, args)
        base = LedgerWiring(
            advertise=args.ledger.advertise,
            join=list(args.ledger.join),
            reachable=(*self.endpoints.ready, *records),
        )
        if isinstance(args.mode, TailnetPlan):
            self.wiring = self._tailscale(name, args, args.mode, base)
        else:
            self.wiring = self._peering(name, args, args.mode, base)
        self.register_outputs(self.exports)

    def _endpoints(self, name: str, args: ConnectivityArgs) -> tuple[LedgerEndpoints, list[aws.route53.Record]]:
        side, ledger = args.side, args.ledger
        endpoints = LedgerEndpoints(
            f"{name}-ledger-endpoints",
            LedgerEndpointsArgs(
                region=args.region,
                vpc_id=side.vpc_id,
                private_subnet_ids=side.private_subnet_ids,
                endpoints=ledger.endpoints,
                sources=ledger.seed_sources,
                icmp_sources=ledger.icmp_sources,
                node_security_group_id=side.cluster_security_group_id,
                autoscaling_group_name=side.ledger_autoscaling_group,
                tags=args.tags,
            ),
            pulumi.ResourceOptions(parent=self),
        )
        primary = args.region == args.primary
        dns = LedgerDns(
            f"{name}-ledger-dns",
            LedgerDnsArgs(
                region=args.region,
                vpc_id=side.vpc_id,
                zone_id=None if primary else args.earlier[args.primary].ledger_zone_id,
                records=endpoint_records(ledger.endpoints),
                tags=args.tags,
                keep=args.keep,
            ),
            pulumi.ResourceOptions(parent=self),
        )
        if primary:
            self.exports["ledger_zone_id"] = dns.zone_id
        return endpoints, dns.records

    def _tailscale(self, name: str, args: ConnectivityArgs, mode: TailnetPlan, base: LedgerWiring) -> LedgerWiring:
        if args.region == args.primary:
            policy = TailnetPolicy(
                f"{name}-tailnet-policy",
                mode.policy_json,
                mode.overwrite_existing_policy,
                pulumi.ResourceOptions(parent=self),
                keep=args.keep,
            )
            ready: pulumi.Input[list[str]] = policy.acl.acl.apply(lambda _: [ROUTER_TAG])
            self.exports["tailnet_policy_tags"] = ready
        else:
            ready = args.earlier[args.primary].tailnet_policy_tags
        SubnetRouter(
            f"{name}-router",
            SubnetRouterArgs(
                region=args.region,
                router=mode.router,
                vpc_id=args.side.vpc_id,
                public_subnet_ids=args.side.public_subnet_ids,
                private_subnet_ids=args.side.private_subnet_ids,
                route_table_ids=args.side.route_table_ids,
                expiry_seconds=mode.auth_key_expiry_seconds,
                policy_ready=ready,
                tags=args.tags,
            ),
            pulumi.ResourceOptions(parent=self),
        )
        return base

    def _peering(self, name: str, args: ConnectivityArgs, mode: PeeringPlan, base: LedgerWiring) -> LedgerWiring:
        local = PeerSide(
            region=args.region,
            vpc_id=args.side.vpc_id,
            private_cidrs=args.network.private_cidrs,
            route_table_ids=args.side.route_table_ids,
        )
        for earlier in mode.earlier_peers:
            outputs = args.earlier[earlier.region]
            tables = outputs.private_route_table_ids
            peer = PeerSide(
                region=earlier.region,
                vpc_id=outputs.vpc_id,
                private_cidrs=earlier.private_cidrs,
                route_table_ids=[tables.apply(item(i)) for i in range(len(earlier.private_cidrs))],
            )
            VpcPeering(
                f"{name}-peering-{earlier.region}",
                PeeringArgs(local=local, peer=peer, peer_provider=args.peer_providers[earlier.region], tags=args.tags),
                pulumi.ResourceOptions(parent=self),
            )
        return base
