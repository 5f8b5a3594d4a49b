"""Turn raw RegisterResource wire values into plain JSON-able data, redacting secrets.

The SDK wraps special values in objects keyed by a signature (see pulumi/runtime/rpc.py).
Secrets are redacted here, from the raw request, because `rpc.deserialize_properties` unwraps
them and the marking is lost (docs/sources.md).
"""

from __future__ import annotations

from typing import Any

from google.protobuf import json_format, struct_pb2

SIGNATURE_KEY = "4dabf18193072939515e22adb298388d"
SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270"
RESOURCE_REF_SIG = "5cf8f73096256a8f31e491e813e4eb8b"
OUTPUT_VALUE_SIG = "d0e6a833031e9bbcd3f4e8bde6ca49a4"
UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"

SECRET_MARKER = "[secret]"
UNKNOWN_MARKER = "[unknown]"


def struct_to_plain(struct: struct_pb2.Struct | None) -> dict[str, Any]:
    """A protobuf Struct as plain data: secrets redacted (shape kept), numbers integral when whole."""
    if struct is None:
        return {}
    result: dict[str, Any] = plain(json_format.MessageToDict(struct))
    return result


def plain(value: Any) -> Any:
    if isinstance(value, dict):
        signature = value.get(SIGNATURE_KEY)
        if signature == SECRET_SIG:
            return redact(plain(value.get("value")))
        if signature == RESOURCE_REF_SIG:
            return value.get("urn")
        if signature == OUTPUT_VALUE_SIG:
            inner = plain(value["value"]) if "value" in value else UNKNOWN_MARKER
            return redact(inner) if value.get("secret") else inner
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if value == UNKNOWN:
        return UNKNOWN_MARKER
    return integral(value)


def redact(value: Any) -> Any:
    """Replace every leaf with the marker, keeping mapping keys so reviewers see what is held."""
    if isinstance(value, dict):
        return {k: redact(v) for k, v in value.items()}
    if isinstance(value, list):
        return [redact(v) for v in value]
    return SECRET_MARKER


def contains_secret(value: Any) -> bool:
    if isinstance(value, dict):
        if value.get(SIGNATURE_KEY) == SECRET_SIG:
            return True
        if value.get(SIGNATURE_KEY) == OUTPUT_VALUE_SIG and value.get("secret"):
            return True
        return any(contains_secret(v) for v in value.values())
    if isinstance(value, list):
        return any(contains_secret(v) for v in value)
    return False


def integral(value: Any) -> Any:
    """The wire carries every number as a double: `3.0` goes back to `3` (docs/sources.md)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value
