"""Pinned container images: a reference must carry a version tag or a digest, never `latest`."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationInfo, field_validator, model_validator

from inferadb.facts.image_refs import check_pinned, image_tag
from inferadb.facts.releases import Build, Component, build_of


class Images(BaseModel):
    """The images every region runs, each pinned."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)

    @model_validator(mode="before")
    @classmethod
    def _retired(cls, data: Any) -> Any:
        if isinstance(data, dict) and "tailscale" in data:
            raise ValueError(
                "images.tailscale is no longer used (no pod runs a Tailscale sidecar; the subnet routers "
                "install the package pinned by connectivity.tailscale_version); remove it"
            )
        return data

    ledger: str
    """Ledger image: a tag the program knows the settings of (docs/images.md), optionally `@sha256:` too."""
    engine: str
    """Engine image: a known tag (docs/images.md), optionally with a digest."""
    control: str
    """Control image: a known tag (docs/images.md), optionally with a digest."""
    bootstrap: str = "docker.io/fullstorydev/grpcurl:v1.9.3-alpine"
    """The Ledger bootstrap Job: grpcurl with a shell (the script waits and retries)."""
    local_volume_provisioner: str = "registry.k8s.io/sig-storage/local-volume-provisioner:v2.7.0"
    """The local static provisioner that publishes NVMe disks as volumes."""
    local_volume_node_cleanup: str = "registry.k8s.io/sig-storage/local-volume-node-cleanup:v2.7.0"
    """Removes the claims and volumes of a deleted Ledger node so its pod can start on the replacement."""

    @field_validator(
        "ledger",
        "engine",
        "control",
        "bootstrap",
        "local_volume_provisioner",
        "local_volume_node_cleanup",
    )
    @classmethod
    def _pinned(cls, reference: str) -> str:
        return check_pinned(reference)

    @field_validator("ledger", "engine", "control")
    @classmethod
    def _known_build(cls, reference: str, info: ValidationInfo) -> str:
        component = _component(info.field_name)
        if not image_tag(reference):
            raise ValueError(
                f"'{reference}' pins a digest without a tag: the tag says which settings the binary reads; "
                f"write <repository>:<tag>@sha256:<digest>"
            )
        build = build_of(component, image_tag(reference))
        if build.refused:
            raise ValueError(f"{component} {build.tag} cannot be deployed by this program: {build.refused}")
        return reference

    def build(self, component: Component) -> Build:
        return build_of(component, image_tag(getattr(self, component)))


def _component(field: str | None) -> Component:
    if field == "ledger":
        return "ledger"
    if field == "engine":
        return "engine"
    return "control"
