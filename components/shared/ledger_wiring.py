"""What connectivity hands the workloads: how each Ledger pod is addressed and which seeds it joins.

Connectivity builds it (either mode ends here) and the workloads read it; it lives in `shared/` so
the workloads wing never imports the connectivity wing.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi


@dataclass(frozen=True)
class LedgerWiring:
    advertise: str
    join: list[str]
    reachable: tuple[pulumi.Resource, ...] = ()
    """The region's Ledger endpoints and names: the bootstrap Job dials them, so it waits for them."""
