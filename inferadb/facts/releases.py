"""The InferaDB builds this program knows, what each reads, and which of them speak the same API.

Each row was read in the component's repository at the commit its nightly build was cut from
(docs/adr/0003-image-versions.md has the evidence). The nightly workflow of each repository
(`.github/workflows/nightly.yml` at that commit) tags the commit `v0.1.0-dev.YYYYMMDD` on GitHub
and pushes the image as `nightly-YYYYMMDD` (plus the moving `nightly`): the image tag is what a
topology pins. Whether the registry still holds a tag can only be checked online.

`api` names the Ledger wire API a build speaks. Two builds work together only when they name the
same one:
- `namespace`: Ledger before commit 12d6dd3 (2026-02-22, `namespace` renamed `organization`);
  every Engine build.
- `organization-enum-region`: Ledger from 12d6dd3 until 6370649 (2026-04-28), Control from 6d8a9c7
  (2026-02-28): organizations, data regions as a proto enum.
- `organization-string-region`: Ledger from 6370649: the region fields became strings (same field
  numbers, different wire type), so earlier clients cannot talk to it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Component = Literal["ledger", "engine", "control"]


@dataclass(frozen=True)
class Build:
    component: Component
    tag: str
    """The image tag (`nightly-YYYYMMDD`)."""
    git_tag: str
    commit: str
    date: str
    """Commit date, ISO."""
    api: str
    schema: str
    """The settings schema the binary reads (inferadb/plan/workload_env.py)."""
    forwards_writes: bool = False
    """Ledger only: a follower forwards a write to the leader. Removed in inferadb/ledger 04f76c2
    (2026-04-15): since then a follower answers NotLeader with the leader's address
    (`crates/services/src/proposal.rs`@53c2112:242-253) and the client must retry there."""
    follows_leader: bool = False
    """Engine and Control only: the Ledger SDK inside the image follows NotLeader answers. The SDK does
    so only with `preferred_region` set (`crates/sdk/src/connection.rs`@53c2112:118-190), which no
    Control commit sets (read up to 64b23b5); the SDK inside an image is the crates.io SDK of the
    image's build date (its Dockerfile builds without --locked)."""
    refused: str | None = None
    """Ledger only: why the program cannot deploy this build (a topology pinning it is refused)."""


BUILDS: tuple[Build, ...] = (
    # inferadb/ledger 53c2112: JOIN/ADVERTISE bootstrap (since 91a15eb), Region still an enum.
    Build(
        "ledger",
        "nightly-20260421",
        "v0.1.0-dev.20260421",
        "53c2112",
        "2026-04-20",
        "organization-enum-region",
        "ledger-2026-04-20",
    ),
    # inferadb/ledger 21345c4: the newest build; region fields are strings (6370649).
    Build(
        "ledger",
        "nightly-20260430",
        "v0.1.0-dev.20260430",
        "21345c4",
        "2026-04-29",
        "organization-string-region",
        "ledger-2026-04-29",
        refused=(
            "its ProvisionRegion takes {string name, bool protected, bool requires_residency, uint32 "
            "retention_days} (proto/ledger/v1/ledger.proto@21345c4) and proposes the region through "
            "GLOBAL's leader (crates/services/src/services/admin.rs@21345c4:2977-3029), while the "
            "bootstrap Job sends the Region enum of 53c2112 to its own ordinal 0; and no published "
            "Control speaks its string-region API. Pin ledger nightly-20260421"
        ),
    ),
    # inferadb/engine 08868a5: the newest Engine; namespace API, only the HTTP listener bound.
    Build("engine", "nightly-20260206", "v0.1.0-dev.20260206", "08868a5", "2026-02-05", "namespace", "engine-2026-02"),
    # inferadb/control 64b23b5: the newest Control; flat INFERADB__CONTROL__ settings, no key file loaded.
    Build(
        "control",
        "nightly-20260408",
        "v0.1.0-dev.20260408",
        "64b23b5",
        "2026-04-07",
        "organization-enum-region",
        "control-2026-04",
    ),
)


def supported(component: Component) -> list[str]:
    return [b.tag for b in BUILDS if b.component == component]


def build_of(component: Component, tag: str) -> Build:
    """The known build behind an image tag; ValueError naming the supported tags otherwise."""
    for build in BUILDS:
        if build.component == component and build.tag == tag:
            return build
    raise ValueError(
        f"no settings schema for {component} tag '{tag}'; supported: {', '.join(supported(component))} "
        f"(a new tag needs its settings read at its commit and a row in inferadb/facts/releases.py)"
    )


def write_path_hold(ledger: Build, client: Build, voters: int) -> str | None:
    """Why `client`'s writes cannot succeed against `voters` Ledger voters of build `ledger`, or None.

    A write must reach the leader of its Raft group. It does when Ledger forwards it, when the client
    follows NotLeader answers, or when there is one voter (which always leads)."""
    if ledger.forwards_writes or client.follows_leader or voters == 1:
        return None
    return (
        f"{client.component} {client.tag} does not follow Ledger's NotLeader answers and ledger {ledger.tag} "
        f"does not forward writes, so with {voters} Ledger voters its writes succeed only when its connection "
        f"happens to reach the leader; it runs with one voter in the whole estate (examples/evaluation.yaml) "
        f"or with a {client.component} build that follows the leader (docs/images.md, 'Writes')"
    )


def incompatibility(ledger: Build, client: Build) -> str | None:
    """Why `client` cannot talk to `ledger`, or None when both speak the same API."""
    if client.api == ledger.api:
        return None
    matching = [b.tag for b in BUILDS if b.component == client.component and b.api == ledger.api]
    remedy = (
        f"pin {client.component} {' or '.join(matching)}" if matching else f"no known {client.component} build does"
    )
    return (
        f"{client.component} {client.tag} speaks Ledger's '{client.api}' API but ledger {ledger.tag} "
        f"speaks '{ledger.api}' ({remedy}; docs/images.md)"
    )
