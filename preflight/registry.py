"""Does each pinned image exist in its registry? A manifest HEAD, with the registry's anonymous token.

The OCI distribution flow: `HEAD /v2/<repository>/manifests/<tag or digest>`; a registry that wants
a token answers 401 with `WWW-Authenticate: Bearer realm=...,service=...,scope=...`, the client asks
the realm for an anonymous token with that service and scope, and repeats the HEAD with it. 200 means
the tag exists, 404 that it does not; anything else, or no answer, is a WARN with the reason.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping

from preflight.results import Result, failed, passed, warned

CHECK = "images"
ACCEPT = ", ".join(
    [
        "application/vnd.oci.image.index.v1+json",
        "application/vnd.oci.image.manifest.v1+json",
        "application/vnd.docker.distribution.manifest.list.v2+json",
        "application/vnd.docker.distribution.manifest.v2+json",
    ]
)
_CHALLENGE = re.compile(r'(\w+)="([^"]*)"')


def split_reference(reference: str) -> tuple[str, str, str]:
    """(registry host, repository, tag or digest); Docker Hub names get their implicit host."""
    name, _, digest = reference.partition("@")
    first, _, rest = name.partition("/")
    if not rest or ("." not in first and ":" not in first and first != "localhost"):
        first, rest = "registry-1.docker.io", name if "/" in name else f"library/{name}"
    repository, _, tag = rest.rpartition(":") if ":" in rest.rsplit("/", 1)[-1] else (rest, "", "")
    return first, repository, digest or tag


def image_exists(reference: str, timeout: float, scheme: str = "https") -> Result:
    host, repository, version = split_reference(reference)
    url = f"{scheme}://{host}/v2/{repository}/manifests/{version}"
    try:
        status, challenge = _head(url, None, timeout)
        if status == 401:
            status, _ = _head(url, anonymous_token(challenge, timeout), timeout)
    except ChallengeError as exc:
        return warned(CHECK, f"{reference}: the registry's token endpoint did not answer as expected ({exc})")
    except (OSError, ValueError) as exc:
        return warned(CHECK, f"{reference}: could not reach {host} ({exc}); not verified")
    if status == 200:
        return passed(CHECK, f"{reference} exists")
    if status == 404:
        return failed(CHECK, f"{reference} does not exist in {host}: pin a published tag (docs/images.md)")
    return warned(CHECK, f"{reference}: {host} answered {status}; not verified")


class ChallengeError(Exception):
    pass


def _head(url: str, token: str | None, timeout: float) -> tuple[int, str]:
    """(status, the WWW-Authenticate challenge when the registry answers 401)."""
    request = urllib.request.Request(url, method="HEAD", headers={"Accept": ACCEPT})  # noqa: S310 (https or loopback)
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:  # noqa: S310
            return int(answer.status), ""
    except urllib.error.HTTPError as exc:
        return int(exc.code), exc.headers.get("WWW-Authenticate", "")


def anonymous_token(challenge: str, timeout: float) -> str:
    """A pull token from the realm a registry's `WWW-Authenticate: Bearer ...` challenge names."""
    if not challenge.lower().startswith("bearer "):
        raise ChallengeError(f"no bearer challenge in {challenge!r}")
    fields = dict(_CHALLENGE.findall(challenge))
    if not fields.get("realm", "").startswith(("https://", "http://127.0.0.1")):
        raise ChallengeError(f"the challenge names no https realm ({fields.get('realm')!r})")
    query = urllib.parse.urlencode({k: v for k, v in fields.items() if k in ("service", "scope")})
    with urllib.request.urlopen(f"{fields['realm']}?{query}", timeout=timeout) as answer:  # noqa: S310
        body = json.loads(answer.read(65536))
    token = body.get("token") or body.get("access_token")
    if not isinstance(token, str):
        raise ChallengeError("the token endpoint returned no token")
    return token


def pinned_images(images: Mapping[str, object]) -> list[str]:
    """The references a deploy pulls, each once: every image of the topology (not its declarations)."""
    return sorted({value for value in images.values() if isinstance(value, str)})
