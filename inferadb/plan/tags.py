"""Tags every AWS resource of a region carries (cost allocation, ownership, cleanup)."""

from __future__ import annotations


def base_tags(region: str, environment: str) -> dict[str, str]:
    return {
        "inferadb:region": region,
        "inferadb:environment": environment,
        "inferadb:stack": region,
        "managed-by": "pulumi",
    }
