"""Can the machine running `pulumi up` reach the Kubernetes API the stack creates?

Offline, from the topology: the shipped documentation range must have been replaced. With an egress
address (given, or looked up when asked), whether that address is in `eks.api_access.public_cidrs`;
outside them, only a network routed to the VPC (`private_cidrs`) can deploy.
"""

from __future__ import annotations

import ipaddress
import urllib.request

from inferadb.model.eks import ApiAccess, documentation_cidrs
from preflight.results import Result, failed, passed, warned

CHECK = "api-access"
LOOKUP_URL = "https://checkip.amazonaws.com/"
"""Answers with the caller's public IPv4 address and a newline (AWS's own echo service)."""


def lookup_egress_ip(timeout: float, url: str = LOOKUP_URL) -> str:
    """This machine's public address as seen from the internet; OSError or ValueError when it cannot tell."""
    if not url.startswith(("https://", "http://127.0.0.1")):
        raise ValueError(f"refusing to look up the egress address at {url}")
    with urllib.request.urlopen(url, timeout=timeout) as answer:  # noqa: S310 (scheme checked above)
        text = answer.read(64).decode("ascii", "replace").strip()
    return str(ipaddress.IPv4Address(text))


def api_access(access: ApiAccess, egress_ip: str | None) -> list[Result]:
    placeholders = documentation_cidrs(access.public_cidrs)
    if placeholders:
        return [
            failed(
                CHECK,
                f"eks.api_access.public_cidrs holds {', '.join(placeholders)}, a documentation range: put your "
                f"egress ranges (laptop, CI runners) there, or use private_cidrs from a network routed to the VPC",
            )
        ]
    if egress_ip is None:
        return [
            warned(
                CHECK,
                "egress address unknown: pass --egress-ip ADDR or --lookup-egress-ip to check this machine can reach "
                "the API",
            )
        ]
    address = ipaddress.IPv4Address(egress_ip)
    inside = [str(c) for c in access.public_cidrs if address in c]
    if inside:
        return [passed(CHECK, f"{address} is in eks.api_access.public_cidrs ({inside[0]})")]
    if access.private_cidrs:
        private = ", ".join(map(str, access.private_cidrs))
        return [
            warned(
                CHECK,
                f"{address} is not in eks.api_access.public_cidrs: `pulumi up` from here reaches the API only if this "
                f"machine deploys through a network in private_cidrs ({private})",
            )
        ]
    return [
        failed(
            CHECK,
            f"{address} is not in eks.api_access.public_cidrs and there are no private_cidrs: every Kubernetes object "
            f"would fail with 'cluster unreachable'; add {address}/32 or your runners' range",
        )
    ]
