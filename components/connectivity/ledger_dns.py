"""LedgerDns: the private zone where each Ledger node's ADVERTISE name points at its load balancer.

`ledger.inferadb.internal` is created by the primary and associated with every region's VPC (a later
region associates its own VPC), in both connectivity modes. Each region writes static A records for
its own nodes, `inferadb-ledger-<n>.<region>.ledger.inferadb.internal`, to the pinned addresses of
ordinal n's load balancer: the records change only when the topology does, so no controller keeps
them current.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components.shared.protection import guarded
from components.shared.tags import named
from inferadb.facts.names import LEDGER_DNS_ZONE

RECORD_TTL_SECONDS = 60


@dataclass(frozen=True)
class LedgerDnsArgs:
    region: str
    vpc_id: pulumi.Input[str]
    zone_id: pulumi.Input[str] | None
    """The primary's zone, read from its stack; None in the primary, which creates the zone."""
    records: dict[str, tuple[str, ...]]
    """Name -> the addresses it resolves to: this region's Ledger nodes."""
    tags: dict[str, str]
    keep: bool = True
    """Protect what holds data or identity (everywhere but a dev estate: components/shared/protection.py)."""


class LedgerDns(pulumi.ComponentResource):
    zone_id: pulumi.Output[str]
    records: list[aws.route53.Record]

    def __init__(self, name: str, args: LedgerDnsArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("inferadb:network:LedgerDns", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        if args.zone_id is None:
            zone = aws.route53.Zone(
                f"{name}-zone",
                name=LEDGER_DNS_ZONE,
                comment="InferaDB Ledger nodes, every region",
                vpcs=[aws.route53.ZoneVpcArgs(vpc_id=args.vpc_id, vpc_region=args.region)],
                tags=named(args.tags, LEDGER_DNS_ZONE),
                # Later regions add their VPCs with ZoneAssociation; inline `vpcs` would remove them.
                opts=pulumi.ResourceOptions.merge(
                    pulumi.ResourceOptions(parent=self, ignore_changes=["vpcs"]), guarded(args.keep)
                ),
            )
            self.zone_id = zone.zone_id
        else:
            self.zone_id = pulumi.Output.from_input(args.zone_id)
            aws.route53.ZoneAssociation(
                f"{name}-association", zone_id=self.zone_id, vpc_id=args.vpc_id, vpc_region=args.region, opts=child
            )
        self.records = []
        for record, addresses in args.records.items():
            self.records.append(
                aws.route53.Record(
                    f"{name}-{record.split('.')[0]}",
                    zone_id=self.zone_id,
                    name=record,
                    type="A",
                    ttl=RECORD_TTL_SECONDS,
                    records=list(addresses),
                    opts=child,
                )
            )
        self.register_outputs({"zone_id": self.zone_id})
