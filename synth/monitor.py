"""A mock resource monitor that records every registration the way the engine would see it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pulumi
from google.protobuf import json_format
from pulumi.runtime.mocks import MockMonitor

from synth.wire import contains_secret, struct_to_plain

STACK_TYPE = "pulumi:pulumi:Stack"


@dataclass
class Recording:
    """What one stack's evaluation registered, in registration order."""

    resources: list[dict[str, Any]] = field(default_factory=list)
    exports: dict[str, Any] = field(default_factory=dict)
    secret_exports: list[str] = field(default_factory=list)


class RecordingMonitor(MockMonitor):
    """Captures the raw requests (options, dependencies, secrets) before the mock answers them."""

    def __init__(self, mocks: Any) -> None:
        super().__init__(mocks)
        self.recording = Recording()
        self._stack_urn = ""

    def make_urn(self, parent: str, type_: str, name: str) -> str:
        # As the engine forms URNs (resource.NewURN): the type is qualified by the parent's whole
        # qualified type, and the root Stack is left out, so the URNs synth records are the ones
        # `pulumi up --target` takes and policies report. (The SDK's mock keeps only the last segment.)
        if parent and parent != self._stack_urn:
            type_ = f"{parent.split('::')[2]}${type_}"
        return "urn:pulumi:" + "::".join([pulumi.get_stack(), pulumi.get_project(), type_, name])

    def RegisterResource(self, request: Any) -> Any:  # noqa: N802 - gRPC method name
        response = super().RegisterResource(request)  # type: ignore[no-untyped-call]
        if request.type == STACK_TYPE:
            self._stack_urn = response.urn
        record = _record(request, response.urn, custom=request.custom)
        if request.custom:
            record["id"] = response.id
        self.recording.resources.append(record)
        return response

    def ReadResource(self, request: Any) -> Any:  # noqa: N802 - gRPC method name
        response = super().ReadResource(request)  # type: ignore[no-untyped-call]
        record = _record(request, response.urn, custom=True)
        record.update(id=request.id, read=True)
        self.recording.resources.append(record)
        return response

    def RegisterResourceOutputs(self, request: Any) -> Any:  # noqa: N802 - gRPC method name
        if request.urn == self._stack_urn:
            raw = json_format.MessageToDict(request.outputs)
            self.recording.exports = struct_to_plain(request.outputs)
            self.recording.secret_exports = sorted(k for k, v in raw.items() if contains_secret(v))
        return super().RegisterResourceOutputs(request)  # type: ignore[no-untyped-call]


def _record(request: Any, urn: str, *, custom: bool) -> dict[str, Any]:
    props_struct = request.object if hasattr(request, "object") else request.properties
    return {
        "urn": urn,
        "type": request.type,
        "name": request.name,
        "custom": bool(custom),
        "parent": request.parent or None,
        "dependencies": sorted(set(getattr(request, "dependencies", []))),
        "provider": request.provider or None,
        "protect": bool(getattr(request, "protect", False)),
        "retainOnDelete": bool(getattr(request, "retainOnDelete", False)),
        "deleteBeforeReplace": bool(getattr(request, "deleteBeforeReplace", False)),
        "ignoreChanges": list(getattr(request, "ignoreChanges", [])),
        "aliases": _aliases(request),
        "props": struct_to_plain(props_struct),
    }


def _aliases(request: Any) -> list[str]:
    """The earlier names (or URNs) this resource answers to in the state: a rename that replaces nothing."""
    names = [str(urn) for urn in getattr(request, "aliasURNs", [])]
    for alias in getattr(request, "aliases", []):
        if alias.HasField("urn"):
            names.append(alias.urn)
        elif alias.HasField("spec"):
            names.append(alias.spec.name or request.name)
    return sorted(set(names))
