"""VpcPeering: one cross-region peering, owned by the later region of the pair.

The later region requests; the earlier region (read through its StackReference) accepts with an
explicit provider for its own region, since `auto_accept` does not work across regions. Routes to
the peer's private subnets (where its nodes and its Ledger endpoint blocks live; never its public
subnets) go into every private route table on both sides once the peering is active. What may cross
is decided by the Ledger endpoints' security group (LedgerEndpoints): port 50051 from the private
subnets of every region, nothing else.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components.shared.tags import named


@dataclass(frozen=True)
class PeerSide:
    region: str
    vpc_id: pulumi.Input[str]
    private_cidrs: tuple[str, ...]
    """Where the nodes and the Ledger endpoints live: what the other side routes here."""
    route_table_ids: Sequence[pulumi.Input[str]]


@dataclass(frozen=True)
class PeeringArgs:
    local: PeerSide
    peer: PeerSide
    peer_provider: aws.Provider
    tags: dict[str, str]


class VpcPeering(pulumi.ComponentResource):
    connection_id: pulumi.Output[str]

    def __init__(self, name: str, args: PeeringArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("inferadb:network:VpcPeering", name, None, opts)
        local_opts = pulumi.ResourceOptions(parent=self)
        peer_opts = pulumi.ResourceOptions(parent=self, provider=args.peer_provider)
        local, peer = args.local, args.peer
        connection = aws.ec2.VpcPeeringConnection(
            f"{name}-request",
            vpc_id=local.vpc_id,
            peer_vpc_id=peer.vpc_id,
            peer_region=peer.region,
            auto_accept=False,
            tags=named(args.tags, f"{local.region}-to-{peer.region}"),
            opts=local_opts,
        )
        accepter = aws.ec2.VpcPeeringConnectionAccepter(
            f"{name}-accept",
            vpc_peering_connection_id=connection.id,
            auto_accept=True,
            tags=named(args.tags, f"{local.region}-to-{peer.region}"),
            opts=peer_opts,
        )
        active = pulumi.ResourceOptions(depends_on=[accepter])
        # Each side resolves the other's private DNS names to private addresses (set after acceptance).
        aws.ec2.PeeringConnectionOptions(
            f"{name}-requester-dns",
            vpc_peering_connection_id=accepter.id,
            requester=aws.ec2.PeeringConnectionOptionsRequesterArgs(allow_remote_vpc_dns_resolution=True),
            opts=pulumi.ResourceOptions.merge(local_opts, active),
        )
        aws.ec2.PeeringConnectionOptions(
            f"{name}-accepter-dns",
            vpc_peering_connection_id=accepter.id,
            accepter=aws.ec2.PeeringConnectionOptionsAccepterArgs(allow_remote_vpc_dns_resolution=True),
            opts=pulumi.ResourceOptions.merge(peer_opts, active),
        )
        for side, other, side_opts in ((local, peer, local_opts), (peer, local, peer_opts)):
            merged = pulumi.ResourceOptions.merge(side_opts, active)
            for index, table in enumerate(side.route_table_ids):
                for block, cidr in enumerate(other.private_cidrs):
                    aws.ec2.Route(
                        f"{name}-{side.region}-route-{index}-{block}",
                        route_table_id=table,
                        destination_cidr_block=cidr,
                        vpc_peering_connection_id=accepter.id,
                        opts=merged,
                    )
        self.connection_id = connection.id
        self.register_outputs({"connection_id": self.connection_id})
