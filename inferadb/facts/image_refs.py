"""Image references: what a pinned reference looks like, and the tag it pins.

Plain strings only (no pydantic): the topology model validates with these; which settings a tag's
binary reads is in inferadb/facts/releases.py.
"""

from __future__ import annotations

import re

_DIGEST = re.compile(r"sha256:[0-9a-f]{64}")
# The image reference grammar of github.com/distribution/reference v0.5.0, regexp.go (domainComponent,
# path components with separators `.` `_` `__` `-`, tag `[\w][\w.-]{0,127}`), narrowed to what this
# project pins: [registry[:port]/]path[:tag][@sha256:digest].
_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
_HOST = r"(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?"
_REFERENCE = re.compile(
    rf"(?:{_HOST}/)?{_COMPONENT}(?:/{_COMPONENT})*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{{0,127}})?(?:@sha256:[0-9a-f]{{64}})?"
)


def check_pinned(reference: str) -> str:
    """Return `reference` if it is a reference that pins a version; raise ValueError naming the fix."""
    name, _, digest = reference.partition("@")
    if digest and not _DIGEST.fullmatch(digest):
        raise ValueError(f"'{reference}' has a malformed digest; use @sha256:<64 hex digits>")
    if len(reference) > 255 or not _REFERENCE.fullmatch(reference):
        raise ValueError(f"{reference!r} is not an image reference (registry/path:tag or @sha256:<digest>)")
    if digest:
        return reference
    repository = name.rsplit("/", 1)[-1]
    if ":" not in repository:
        raise ValueError(f"'{reference}' has no tag; pin a version (e.g. {name}:1.2.3) or a digest")
    tag = repository.split(":", 1)[1]
    if tag == "latest":
        raise ValueError(f"'{reference}' uses 'latest'; pin a version or a digest")
    return reference


def image_tag(reference: str) -> str:
    """The tag of a reference (`repo:tag` or `repo:tag@sha256:...`); empty when it pins a digest only."""
    name = reference.partition("@")[0]
    repository = name.rsplit("/", 1)[-1]
    return repository.split(":", 1)[1] if ":" in repository else ""
