"""Pinned container images: a reference must carry a version tag or a digest, never `latest`."""

from __future__ import annotations

import dataclasses
from typing import Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from inferadb.facts.image_refs import check_pinned, image_tag
from inferadb.facts.releases import BUILDS, Build, Component, build_of, supported


class DeclaredBuild(BaseModel):
    """A build this program has not read, declared by the operator as sharing a known build's settings
    schema, Ledger wire API and leader behaviour (docs/images.md, "Bring your own build")."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)

    component: Literal["ledger", "engine", "control"]
    """Which image it is."""
    tag: str = Field(pattern=r"^[\w][\w.-]{0,127}$")
    """Its image tag, as pinned in images.<component>."""
    like: str
    """The known tag whose settings, API and leader behaviour it shares (docs/images.md)."""
    commit: str = Field(pattern=r"^[0-9a-f]{7,40}$")
    """The source commit it was built from; preflight compares it with the image's
    `org.opencontainers.image.revision` label."""
    forwards_writes: bool | None = None
    """Ledger: whether a follower forwards writes (default: as the known build)."""
    follows_leader: bool | None = None
    """Engine, Control: whether the client follows Ledger's NotLeader answers (default: as the known build)."""

    def build(self) -> Build:
        known = build_of(self.component, self.like)
        changes: dict[str, Any] = {
            "tag": self.tag,
            "git_tag": "(declared)",
            "commit": self.commit,
            "date": "(declared)",
        }
        if self.forwards_writes is not None:
            changes["forwards_writes"] = self.forwards_writes
        if self.follows_leader is not None:
            changes["follows_leader"] = self.follows_leader
        return dataclasses.replace(known, **changes)


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
    declared: tuple[DeclaredBuild, ...] = ()
    """Builds the program has not read, each declared like a known one (docs/images.md, "Bring your own build")."""

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
    def _tagged(cls, reference: str, info: ValidationInfo) -> str:
        if not image_tag(reference):
            raise ValueError(
                f"'{reference}' pins a digest without a tag: the tag says which settings the binary reads; "
                f"write <repository>:<tag>@sha256:<digest>"
            )
        return reference

    @model_validator(mode="after")
    def _known_or_declared(self) -> Self:
        problems = [*self._declarations(), *self._pinned_builds()]
        if problems:
            raise ValueError("\n".join(problems))
        return self

    def _declarations(self) -> list[str]:
        problems = []
        for index, declared in enumerate(self.declared):
            field = f"images.declared.{index}"
            known = {b.tag: b for b in BUILDS if b.component == declared.component}
            if declared.tag in known:
                problems.append(
                    f"{field}.tag: {declared.component} {declared.tag} is a known build; remove the declaration"
                )
            elif declared.like not in known:
                problems.append(
                    f"{field}.like: '{declared.like}' is not a known {declared.component} build; "
                    f"one of: {', '.join(supported(declared.component))}"
                )
            elif known[declared.like].refused:
                problems.append(
                    f"{field}.like: {declared.component} {declared.like} is refused ({known[declared.like].refused})"
                )
        return problems

    def _pinned_builds(self) -> list[str]:
        problems = []
        for component in ("ledger", "engine", "control"):
            try:
                build = self.build(component)
            except ValueError as exc:
                problems.append(
                    f"images.{component}: {exc}; or declare it under images.declared with the known build it "
                    f"is like (docs/images.md, 'Bring your own build')"
                )
                continue
            if build.refused:
                problems.append(
                    f"images.{component}: {component} {build.tag} cannot be deployed by this program: {build.refused}"
                )
        return problems

    def build(self, component: Component) -> Build:
        """The build behind the pinned image: a known one, or a declared one (built like a known one)."""
        tag = image_tag(getattr(self, component))
        for declared in self.declared:
            if declared.component == component and declared.tag == tag:
                return declared.build()
        return build_of(component, tag)

    def declared_in_use(self) -> list[DeclaredBuild]:
        """The declarations a pinned image uses (the plan warns about each)."""
        pinned = {(c, image_tag(getattr(self, c))) for c in ("ledger", "engine", "control")}
        return [d for d in self.declared if (d.component, d.tag) in pinned]


def _component(field: str | None) -> Component:
    if field == "ledger":
        return "ledger"
    if field == "engine":
        return "engine"
    return "control"
