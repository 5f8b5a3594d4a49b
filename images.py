"""Pinned container images: a reference must carry a version tag or a digest, never `latest`."""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, field_validator

_DIGEST = re.compile(r"^sha256:[0-9a-f]{64}$")


def check_pinned(reference: str) -> str:
    """Return `reference` if it pins a version; raise ValueError naming the fix otherwise."""
    name, _, digest = reference.partition("@")
    if digest:
        if not _DIGEST.match(digest):
            raise ValueError(f"'{reference}' has a malformed digest; use @sha256:<64 hex digits>")
        return reference
    repository = name.rsplit("/", 1)[-1]
    if ":" not in repository:
        raise ValueError(f"'{reference}' has no tag; pin a version (e.g. {name}:1.2.3) or a digest")
    tag = repository.split(":", 1)[1]
    if tag == "latest" or not tag:
        raise ValueError(f"'{reference}' uses '{tag or 'an empty tag'}'; pin a version or a digest")
    return reference


def image_tag(reference: str) -> str:
    """The version part of a pinned reference (the tag, or the digest when there is no tag)."""
    name, _, digest = reference.partition("@")
    repository = name.rsplit("/", 1)[-1]
    return repository.split(":", 1)[1] if ":" in repository else digest


class Images(BaseModel):
    """The images every region runs, each pinned."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    ledger: str
    engine: str
    control: str
    tailscale: str
    local_volume_provisioner: str = "registry.k8s.io/sig-storage/local-volume-provisioner:v2.7.0"
    external_dns: str = "registry.k8s.io/external-dns/external-dns:v0.15.1"
    """Peering mode: publishes each Ledger pod's address in the private zone every VPC resolves."""

    @field_validator("ledger", "engine", "control", "tailscale", "local_volume_provisioner", "external_dns")
    @classmethod
    def _pinned(cls, reference: str) -> str:
        return check_pinned(reference)

    @field_validator("ledger", "engine", "control")
    @classmethod
    def _known_configuration(cls, reference: str) -> str:
        from workload_env import schema_for

        schema_for(reference)
        return reference
