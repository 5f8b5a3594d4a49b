"""The known InferaDB builds as a table: tag, source commit, Ledger API, settings schema, and pairs."""

from __future__ import annotations

from inferadb.facts.releases import BUILDS, Build, incompatibility, write_path_hold


def render() -> str:
    rows = [
        "| component | image tag | git tag | commit | date | Ledger API | settings schema |",
        "|---|---|---|---|---|---|---|",
    ]
    rows += [
        f"| {b.component} | `{b.tag}` | `{b.git_tag}` | `{b.commit}` | {b.date} | `{b.api}` | `{b.schema}` |"
        for b in BUILDS
    ]
    rows += ["", *(f"Refused: ledger `{b.tag}`: {b.refused}." for b in BUILDS if b.refused)]
    ledgers = [b for b in BUILDS if b.component == "ledger"]
    clients = [b for b in BUILDS if b.component != "ledger"]
    rows += ["", "| with ledger → | " + " | ".join(f"`{b.tag}`" for b in ledgers) + " |"]
    rows += ["|---|" + "---|" * len(ledgers)]
    for client in clients:
        cells = [_pair(ledger, client) for ledger in ledgers]
        rows.append(f"| {client.component} `{client.tag}` | " + " | ".join(cells) + " |")
    rows += ["", LEGEND]
    return "\n".join(rows) + "\n"


LEGEND = (
    "`single node only`: the pair talks, but a follower answers a write with NotLeader "
    "(ledger `crates/services/src/services/proposal.rs`@53c2112:242-253) and the client's SDK follows it "
    "only with `preferred_region` set (`crates/sdk/src/connection.rs`@53c2112:118-190), which the client "
    "does not set; the SDK inside a Control or Engine image is the crates.io SDK of the image's build "
    "date. `no (API)`: different Ledger wire APIs (the Ledger API column)."
)


def _pair(ledger: Build, client: Build) -> str:
    """`no` (different wire API), `single node only` (writes reach the leader only when one voter is
    all there is), or `writes work` (on a multi-node Ledger too)."""
    if ledger.refused:
        return "no (Ledger build refused)"
    if incompatibility(ledger, client) is not None:
        return "no (API)"
    if write_path_hold(ledger, client, voters=3) is not None:
        return "single node only"
    return "writes work"
