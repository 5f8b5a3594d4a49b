"""With `ledger_endpoint_reservation: none` (the fallback when an account refuses a load balancer
address inside an explicit subnet CIDR reservation), nothing keeps EC2 from giving a Ledger
endpoint's pinned address to a node or a pod: preflight looks for anything else holding one."""

from __future__ import annotations

from typing import Any

from inferadb.plan.addressing import LedgerEndpoint
from preflight.results import Result, failed, passed

CHECK = "endpoint-addresses"


def endpoint_addresses(ec2: Any, endpoints: tuple[LedgerEndpoint, ...]) -> list[Result]:
    wanted = {address: f"ledger-{e.region}-{e.ordinal}" for e in endpoints for address in e.addresses}
    interfaces = ec2.describe_network_interfaces(
        Filters=[{"Name": "addresses.private-ip-address", "Values": sorted(wanted)}]
    )["NetworkInterfaces"]
    taken = []
    for interface in interfaces:
        description = str(interface.get("Description", ""))
        for held in interface.get("PrivateIpAddresses", []):
            address = held.get("PrivateIpAddress")
            owner = wanted.get(address)
            # The endpoint's own load balancer: its interface is described `ELB net/<name>/<id>`.
            if owner is not None and not description.startswith(f"ELB net/{owner}/"):
                taken.append(f"{address} ({owner}) by {interface['NetworkInterfaceId']} '{description}'")
    if taken:
        return [
            failed(
                CHECK,
                f"no reservation keeps the Ledger endpoints' addresses free, and {'; '.join(taken)} holds one: "
                "free it (replace that node), or pick other ledger_endpoint_blocks",
            )
        ]
    return [passed(CHECK, f"none of the {len(wanted)} Ledger endpoint addresses is held by anything else")]
