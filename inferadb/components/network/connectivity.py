"""Connectivity: how Ledger pods of different regions reach each other, chosen by the topology.

Both modes end in the same `LedgerWiring` the workloads consume: the address each pod advertises,
the seed list every region joins with, and (Tailscale) the sidecar that carries the traffic.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pulumi
import pulumi_aws as aws

from inferadb.components.network.ledger_dns import LedgerDns, LedgerDnsArgs
from inferadb.components.network.peering import PeeringArgs, PeerSide, VpcPeering
from inferadb.components.shared.earlier import EarlierRegion
from inferadb.components.shared.outputs import item
from inferadb.components.tailnet.access import (
    TailnetAccess,
    TailnetAccessArgs,
    TailnetPolicy,
    ledger_state_secret,
)
from inferadb.components.tailnet.sidecar import SidecarSpec, app_proxy_env
from inferadb.facts.names import LEDGER_AUTH_SECRET, LEDGER_DNS_ZONE, LEDGER_SERVICE_ACCOUNT
from inferadb.facts.ports import LEDGER_PORT
from inferadb.facts.tailnet_acl import LEDGER_TAG
from inferadb.plan.region import LedgerPlan, NetworkPlan, PeeringPlan, TailnetPlan


@dataclass(frozen=True)
class LedgerWiring:
    advertise: str
    join: list[str]
    headless_annotations: dict[str, str] = field(default_factory=dict)
    ledger_sidecar: SidecarSpec | None = None
    ledger_needs: tuple[pulumi.Resource, ...] = ()
    """Secrets and RBAC the Ledger pods mount (Tailscale mode): the StatefulSet waits for them."""
    ledger_env: list[dict[str, Any]] = field(default_factory=list)
    """Extra env for the Ledger container (the proxy to dial peers through, under Tailscale)."""


@dataclass(frozen=True)
class RegionSide:
    """What the connectivity layer needs of its own region's network and cluster."""

    vpc_id: pulumi.Input[str]
    route_table_ids: list[pulumi.Input[str]]
    cluster_security_group_id: pulumi.Input[str]
    oidc_provider_arn: pulumi.Input[str]
    oidc_issuer: pulumi.Input[str]
    namespace: pulumi.Input[str]


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


class Connectivity(pulumi.ComponentResource):
    wiring: LedgerWiring
    exports: dict[str, pulumi.Input[Any]]
    """Stack outputs later regions read (the tailnet policy's tags, the Ledger zone)."""

    def __init__(self, name: str, args: ConnectivityArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("inferadb:network:Connectivity", name, None, opts)
        self.exports = {}
        base = LedgerWiring(advertise=args.ledger.advertise, join=list(args.ledger.join))
        if isinstance(args.mode, TailnetPlan):
            self.wiring = self._tailscale(name, args, args.mode, base)
        else:
            self.wiring = self._peering(name, args, args.mode, base)
        self.register_outputs(self.exports)

    def _tailscale(self, name: str, args: ConnectivityArgs, mode: TailnetPlan, base: LedgerWiring) -> LedgerWiring:
        region = args.region
        if region == args.primary:
            policy = TailnetPolicy(
                f"{name}-tailnet-policy",
                mode.policy_json,
                mode.overwrite_existing_policy,
                pulumi.ResourceOptions(parent=self),
            )
            ready: pulumi.Input[list[str]] = policy.acl.acl.apply(lambda _: [LEDGER_TAG])
            self.exports["tailnet_policy_tags"] = ready
        else:
            ready = args.earlier[args.primary].tailnet_policy_tags
        access = TailnetAccess(
            f"{name}-tailnet",
            TailnetAccessArgs(
                region=region,
                namespace=args.side.namespace,
                ledger_replicas=args.ledger.replicas,
                ledger_service_account=LEDGER_SERVICE_ACCOUNT,
                expiry_seconds=mode.auth_key_expiry_seconds,
                policy_ready=ready,
            ),
            pulumi.ResourceOptions(parent=self),
        )
        image = mode.image
        ledger = SidecarSpec(
            image=image,
            hostname=f"ledger-{region}-$(POD_INDEX)",
            auth_secret=LEDGER_AUTH_SECRET,
            state_secret=ledger_state_secret("$(POD_INDEX)"),
            outbound=mode.ledger_outbound,
        )
        return LedgerWiring(
            advertise=base.advertise,
            join=base.join,
            ledger_sidecar=ledger,
            ledger_needs=tuple(access.mounted),
            ledger_env=app_proxy_env(mode.ledger_outbound),
        )

    def _peering(self, name: str, args: ConnectivityArgs, mode: PeeringPlan, base: LedgerWiring) -> LedgerWiring:
        region, side = args.region, args.side
        ports = (LEDGER_PORT,)
        local = PeerSide(
            region=region,
            vpc_id=side.vpc_id,
            vpc_cidr=args.network.vpc_cidr,
            private_cidrs=args.network.private_cidrs,
            route_table_ids=side.route_table_ids,
            cluster_security_group_id=side.cluster_security_group_id,
        )
        for earlier in mode.earlier_peers:
            outputs = args.earlier[earlier.region]
            tables = outputs.private_route_table_ids
            peer = PeerSide(
                region=earlier.region,
                vpc_id=outputs.vpc_id,
                vpc_cidr=earlier.vpc_cidr,
                private_cidrs=earlier.private_cidrs,
                route_table_ids=[tables.apply(item(i)) for i in range(earlier.zone_count)],
                cluster_security_group_id=outputs.cluster_security_group_id,
            )
            VpcPeering(
                f"{name}-peering-{earlier.region}",
                PeeringArgs(
                    local=local,
                    peer=peer,
                    peer_provider=args.peer_providers[earlier.region],
                    ports=ports,
                    tags=args.tags,
                ),
                pulumi.ResourceOptions(parent=self),
            )
        primary = args.primary
        dns = LedgerDns(
            f"{name}-ledger-dns",
            LedgerDnsArgs(
                region=region,
                vpc_id=side.vpc_id,
                zone_id=None if region == primary else args.earlier[primary].ledger_zone_id,
                namespace=side.namespace,
                oidc_provider_arn=side.oidc_provider_arn,
                oidc_issuer=side.oidc_issuer,
                image=mode.external_dns_image,
                tags=args.tags,
            ),
            pulumi.ResourceOptions(parent=self),
        )
        if region == primary:
            self.exports["ledger_zone_id"] = dns.zone_id
        annotations = {"external-dns.alpha.kubernetes.io/hostname": f"{region}.{LEDGER_DNS_ZONE}"}
        return LedgerWiring(advertise=base.advertise, join=base.join, headless_annotations=annotations)
