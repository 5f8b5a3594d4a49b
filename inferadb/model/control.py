"""Control's public identity: the URLs its e-mails link to and the WebAuthn relying party.

Control defaults all three to localhost (inferadb/control 64b23b5, `crates/config/src/lib.rs`):
passkeys and links would then only work on the operator's own machine. Staging and production must
set them (checked in rules.py); dev gets the localhost defaults written out.
"""

from __future__ import annotations

import ipaddress
import re
from typing import Self
from urllib.parse import urlsplit

from pydantic import Field, field_validator, model_validator

from inferadb.model.workloads import StrictModel

_HOST = re.compile(r"^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$")
LOCAL_HOSTS = ("localhost",)


class ControlSite(StrictModel):
    frontend_url: str = Field(max_length=2000)
    """The dashboard Control's e-mails link to (`https://app.example.com`)."""
    webauthn_rp_id: str
    """WebAuthn relying-party id: the registrable domain passkeys are bound to (`example.com`)."""
    webauthn_origin: str = Field(max_length=300)
    """The origin browsers register passkeys from (`https://app.example.com`): a host equal to, or under,
    `webauthn_rp_id`."""

    @field_validator("frontend_url", "webauthn_origin")
    @classmethod
    def _url(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in ("https", "http") or not parts.hostname or not _HOST.match(parts.hostname):
            raise ValueError(f"'{value}' is not an http(s) URL with a host name, e.g. https://app.example.com")
        return value

    @field_validator("frontend_url")
    @classmethod
    def _no_trailing_slash(cls, value: str) -> str:
        # Control exits at start-up on a FRONTEND_URL ending in '/' (control config/src/lib.rs@64b23b5:355-357).
        if value.endswith("/"):
            raise ValueError(f"'{value}' ends in '/', which Control refuses at start-up; write {value.rstrip('/')}")
        return value

    @field_validator("webauthn_origin")
    @classmethod
    def _origin(cls, value: str) -> str:
        if urlsplit(value).path not in ("", "/") or urlsplit(value).query:
            raise ValueError(f"'{value}' is an origin: scheme://host[:port], without a path or query")
        return value

    @field_validator("webauthn_rp_id")
    @classmethod
    def _rp_id(cls, value: str) -> str:
        if not _HOST.match(value):
            raise ValueError(f"'{value}' is not a host name; the RP id is a domain such as example.com")
        return value

    @model_validator(mode="after")
    def _origin_under_rp_id(self) -> Self:
        host = urlsplit(self.webauthn_origin).hostname or ""
        if host != self.webauthn_rp_id and not host.endswith(f".{self.webauthn_rp_id}"):
            raise ValueError(
                f"webauthn_origin host '{host}' is not '{self.webauthn_rp_id}' or under it; browsers refuse "
                f"passkeys whose RP id is not a suffix of the origin's host"
            )
        return self

    def local_hosts(self) -> list[str]:
        """The fields that point at this machine (not allowed outside dev)."""
        hosts = {
            "frontend_url": urlsplit(self.frontend_url).hostname or "",
            "webauthn_origin": urlsplit(self.webauthn_origin).hostname or "",
            "webauthn_rp_id": self.webauthn_rp_id,
        }
        return [field for field, host in hosts.items() if host in LOCAL_HOSTS or _is_ip(host)]

    def plain_http(self) -> list[str]:
        return [f for f in ("frontend_url", "webauthn_origin") if urlsplit(getattr(self, f)).scheme != "https"]


DEV_SITE = ControlSite(
    frontend_url="http://localhost:3000", webauthn_rp_id="localhost", webauthn_origin="http://localhost:3000"
)
"""What Control uses when nothing is set; written out so the env names every value it runs with."""


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True
