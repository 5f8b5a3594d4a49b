"""Control's public identity: the URLs its e-mails link to and the WebAuthn relying party.

Control defaults all three to localhost (inferadb/control 64b23b5, `crates/config/src/lib.rs`):
passkeys and links would then only work on the operator's own machine. Staging and production must
set them (checked in rules.py); dev gets the localhost defaults written out.
"""

from __future__ import annotations

import ipaddress
import re
from typing import Literal, Self
from urllib.parse import urlsplit

from pydantic import Field, field_validator, model_validator

from inferadb.model.workloads import StrictModel

_HOST = re.compile(r"^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$")
LOCAL_HOSTS = ("localhost",)


class ClientAccess(StrictModel):
    """Control reachable from outside its cluster: a TLS load balancer per region and one DNS name
    that sends users to a healthy region (off unless set)."""

    hostname: str
    """The name users reach Control at (`app.example.com`): Control's FRONTEND_URL and WebAuthn origin
    must be `https://` it."""
    public_zone: str
    """A Route 53 public hosted zone you own that holds `hostname` (`example.com`): ACM validates the
    certificate and the failover records live there."""
    scheme: Literal["internet-facing", "internal"] = "internet-facing"
    """`internal`: reachable only from networks routed to the VPCs (its health comes from a CloudWatch
    alarm: Route 53's checkers cannot reach an internal load balancer)."""
    routing: Literal["failover", "latency"] = "failover"
    """`failover`: the primary region while healthy, then the next; `latency`: the nearest healthy one."""
    allowed_cidrs: tuple[ipaddress.IPv4Network, ...] = (ipaddress.IPv4Network("0.0.0.0/0"),)
    """Who may open TLS connections to the load balancers (HTTPS, 443)."""

    @field_validator("hostname", "public_zone")
    @classmethod
    def _host(cls, value: str) -> str:
        if not _HOST.match(value):
            raise ValueError(f"'{value}' is not a DNS name such as app.example.com")
        return value

    @model_validator(mode="after")
    def _in_zone(self) -> Self:
        if not self.hostname.endswith(f".{self.public_zone}"):
            raise ValueError(
                f"control.access.hostname {self.hostname} is not in control.access.public_zone {self.public_zone}; "
                f"name a host under the zone (e.g. app.{self.public_zone})"
            )
        return self


class ControlSite(StrictModel):
    frontend_url: str = Field(max_length=2000)
    """The dashboard Control's e-mails link to (`https://app.example.com`)."""
    webauthn_rp_id: str
    """WebAuthn relying-party id: the registrable domain passkeys are bound to (`example.com`)."""
    webauthn_origin: str = Field(max_length=300)
    """The origin browsers register passkeys from (`https://app.example.com`): a host equal to, or under,
    `webauthn_rp_id`."""
    access: ClientAccess | None = None
    """A way in from outside the cluster (off unless set): docs/workloads.md, "Client access"."""

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
    def _public_name_is_controls(self) -> Self:
        if self.access is None:
            return self
        wanted = f"https://{self.access.hostname}"
        wrong = [f for f in ("frontend_url", "webauthn_origin") if getattr(self, f).rstrip("/") != wanted]
        if wrong:
            raise ValueError(
                f"control.{' and control.'.join(wrong)} must be {wanted}: users reach Control at "
                f"control.access.hostname, and its links and passkeys follow that name"
            )
        return self

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
