"""Pinned container images: a reference must carry a version tag or a digest, never `latest`."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, field_validator

from inferadb.facts.image_refs import check_pinned, schema_for


class Images(BaseModel):
    """The images every region runs, each pinned."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)

    ledger: str
    """Ledger image, pinned by tag or digest; its release line needs a known settings schema."""
    engine: str
    """Engine image, pinned; its release line needs a known settings schema."""
    control: str
    """Control image, pinned; its release line needs a known settings schema."""
    tailscale: str
    """Tailscale sidecar image, pinned."""
    local_volume_provisioner: str = "registry.k8s.io/sig-storage/local-volume-provisioner:v2.7.0"
    """The local static provisioner that publishes NVMe disks as volumes."""
    external_dns: str = "registry.k8s.io/external-dns/external-dns:v0.15.1"
    """Peering mode: publishes each Ledger pod's address in the private zone every VPC resolves."""

    @field_validator("ledger", "engine", "control", "tailscale", "local_volume_provisioner", "external_dns")
    @classmethod
    def _pinned(cls, reference: str) -> str:
        return check_pinned(reference)

    @field_validator("ledger", "engine", "control")
    @classmethod
    def _known_configuration(cls, reference: str) -> str:
        schema_for(reference)
        return reference
