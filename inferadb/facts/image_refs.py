"""Image references: what a pinned reference looks like, and which env schema each release reads.

Plain strings only (no pydantic): the topology model validates with these, and the workload plan
chooses its variable names with `schema_for`.
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

# Release line (major.minor of the image tag) -> the variable schema its binaries read.
# Add a line here when a release renames a variable (the settings live in inferadb/plan/workload_env.py).
SCHEMAS: dict[str, str] = {"0.1": "v1"}


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
    """The version part of a pinned reference (the tag, or the digest when there is no tag)."""
    name, _, digest = reference.partition("@")
    repository = name.rsplit("/", 1)[-1]
    return repository.split(":", 1)[1] if ":" in repository else digest


def schema_for(image: str) -> str:
    """The env schema of a pinned image; digests use the newest schema (pin a tag to be explicit)."""
    tag = image_tag(image).lstrip("v")
    if tag.startswith("sha256:"):
        return max(SCHEMAS.values())
    line = ".".join(tag.split(".")[:2])
    if line not in SCHEMAS:
        raise ValueError(
            f"no known configuration schema for {image} (release line {line}); known: {sorted(SCHEMAS)}. "
            f"Check the image's variables and add its line to image_refs.SCHEMAS"
        )
    return SCHEMAS[line]
