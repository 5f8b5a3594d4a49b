"""Is a declared build what its image says it is? The image's `org.opencontainers.image.revision`
label against the commit `images.declared` names (docs/images.md, "Bring your own build").

The OCI distribution flow, read-only and anonymous: the manifest (an index is narrowed to its
linux/amd64 entry, else its first), then the config blob it names, whose `config.Labels` carry the
label. A registry that wants a token answers 401 with a bearer challenge (preflight/registry.py).
Blob downloads usually redirect to storage; the redirect is followed without the token, which the
storage would refuse.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

from preflight.registry import ACCEPT, ChallengeError, anonymous_token, split_reference
from preflight.results import Result, failed, passed, warned

CHECK = "declared-build"
LABEL = "org.opencontainers.image.revision"
MAX_BYTES = 4_000_000


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *_: Any, **__: Any) -> None:
        return None  # handled by _get, without the Authorization header


_OPENER = urllib.request.build_opener(_NoRedirect)


def revision_check(reference: str, commit: str, field: str, timeout: float, scheme: str = "https") -> Result:
    """PASS when the image's revision label starts with the declared commit (or the other way round),
    FAIL when it names another commit, WARN when the label or the registry cannot tell."""
    try:
        revision = image_revision(reference, timeout, scheme)
    except ChallengeError as exc:
        return warned(CHECK, f"{reference}: the registry's token endpoint did not answer as expected ({exc})")
    except (OSError, ValueError, KeyError) as exc:
        return warned(CHECK, f"{reference}: could not read its labels ({exc}); {field} not verified")
    if not revision:
        return warned(CHECK, f"{reference} carries no {LABEL} label; {field} ({commit}) not verified")
    if revision.startswith(commit) or commit.startswith(revision):
        return passed(CHECK, f"{reference} was built from {revision}, as {field} says")
    return failed(
        CHECK,
        f"{reference} was built from {revision}, not {commit}: correct {field}, or pin the image you meant",
    )


def image_revision(reference: str, timeout: float, scheme: str = "https") -> str | None:
    host, repository, version = split_reference(reference)
    base = f"{scheme}://{host}/v2/{repository}"
    token: list[str] = []
    manifest = _json(_get(f"{base}/manifests/{version}", token, timeout, ACCEPT))
    if "manifests" in manifest:  # an index: the linux/amd64 image, else the first
        entries = manifest["manifests"]
        chosen = next((m for m in entries if (m.get("platform") or {}).get("architecture") == "amd64"), entries[0])
        manifest = _json(_get(f"{base}/manifests/{chosen['digest']}", token, timeout, ACCEPT))
    config = _json(_get(f"{base}/blobs/{manifest['config']['digest']}", token, timeout, "*/*"))
    labels = (config.get("config") or {}).get("Labels") or {}
    revision = labels.get(LABEL)
    return str(revision) if revision else None


def _json(raw: bytes) -> dict[str, Any]:
    document = json.loads(raw)
    if not isinstance(document, dict):
        raise ValueError("the registry answered something other than a JSON object")
    return document


def _get(url: str, token: list[str], timeout: float, accept: str) -> bytes:
    """GET with the registry's token (asked for once, on the first 401); a redirect is followed
    without it."""
    for _ in range(2):
        request = urllib.request.Request(url, headers={"Accept": accept})  # noqa: S310 (https or loopback)
        if token:
            request.add_header("Authorization", f"Bearer {token[0]}")
        try:
            with _OPENER.open(request, timeout=timeout) as answer:
                return bytes(answer.read(MAX_BYTES))
        except urllib.error.HTTPError as exc:
            if exc.code == 401 and not token:
                token.append(anonymous_token(exc.headers.get("WWW-Authenticate", ""), timeout))
                continue
            if exc.code in (301, 302, 303, 307, 308) and exc.headers.get("Location"):
                with urllib.request.urlopen(exc.headers["Location"], timeout=timeout) as answer:  # noqa: S310
                    return bytes(answer.read(MAX_BYTES))
            raise
    raise ValueError(f"{url}: still unauthorized with the registry's anonymous token")
