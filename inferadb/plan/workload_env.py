"""The configuration variables of the InferaDB images, rendered for the schema each pinned build reads.

Older manifests use PEERS, CLUSTER, BOOTSTRAP_EXPECT, LISTEN_ADDR, DATA_DIR; the pinned Ledger reads
none of them. Every env list is checked against its schema (inferadb/facts/settings.py) when it is
built: a name the binary does not read, or a missing required one, is a programming error caught by
the offline plan, not a pod that starts with a default.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from inferadb.facts.names import EMAIL_BLINDING_KEY, EMAIL_BLINDING_SECRET
from inferadb.facts.settings import SCHEMAS

Env = list[dict[str, Any]]


@dataclass(frozen=True)
class LedgerSettingsEnv:
    schema: str
    listen: str
    metrics: str
    data: str
    join: list[str]
    advertise: str
    region: str
    log_format: str = "json"
    init_wait_timeout_seconds: int = 600

    def env(self) -> Env:
        values = {
            "LISTEN": self.listen,
            "METRICS": self.metrics,
            "DATA": self.data,
            "JOIN": ",".join(self.join),
            "ADVERTISE": self.advertise,
            "REGION": self.region,
            "LOG_FORMAT": self.log_format,
            "INIT_WAIT_TIMEOUT": str(self.init_wait_timeout_seconds),
        }
        return _checked(self.schema, values, blinding_key=True)


@dataclass(frozen=True)
class EngineSettingsEnv:
    schema: str
    http: str
    ledger_endpoint: str
    """`http://host:port`: Engine refuses an endpoint without a scheme."""
    ledger_client_id: str
    namespace_id: int | None
    """Ledger's namespace id; Engine exits at startup without one (None only while Engine is held)."""
    storage: str = "ledger"  # the chart's default `memory` loses every relationship on restart

    def env(self) -> Env:
        values = {
            "LISTEN__HTTP": self.http,
            "STORAGE": self.storage,
            "LEDGER__ENDPOINT": self.ledger_endpoint,
            "LEDGER__CLIENT_ID": self.ledger_client_id,
        }
        if self.namespace_id is None:
            return _checked(self.schema, values, unset=("LEDGER__NAMESPACE_ID",))
        return _checked(self.schema, {**values, "LEDGER__NAMESPACE_ID": str(self.namespace_id)})


@dataclass(frozen=True)
class ControlSettingsEnv:
    schema: str
    listen: str
    ledger_endpoint: str
    ledger_client_id: str
    worker_id: str
    """`$(POD_INDEX)`: Control runs with ordinals starting at its region's WORKER_ID base."""
    frontend_url: str
    webauthn_rp_id: str
    webauthn_origin: str
    storage: str = "ledger"
    log_format: str = "json"

    def env(self) -> Env:
        values = {
            "LISTEN": self.listen,
            "LEDGER_ENDPOINT": self.ledger_endpoint,
            "LEDGER_CLIENT_ID": self.ledger_client_id,
            "STORAGE": self.storage,
            "WORKER_ID": self.worker_id,
            "FRONTEND_URL": self.frontend_url,
            "WEBAUTHN_RP_ID": self.webauthn_rp_id,
            "WEBAUTHN_ORIGIN": self.webauthn_origin,
            "LOG_FORMAT": self.log_format,
        }
        return _checked(self.schema, values, blinding_key=True)


def _checked(schema_id: str, values: dict[str, str], *, blinding_key: bool = False, unset: tuple[str, ...] = ()) -> Env:
    """`values` as env, plus EMAIL_BLINDING_KEY from its Secret; `unset` may be missing (a held workload)."""
    schema = SCHEMAS[schema_id]
    keys = frozenset(values) | ({"EMAIL_BLINDING_KEY"} if blinding_key else frozenset())
    unread, missing = keys - schema.reads, schema.required - keys - frozenset(unset)
    if unread or missing:
        raise ValueError(f"settings for {schema_id}: not read {sorted(unread)}, missing {sorted(missing)}")
    env: Env = [{"name": f"{schema.prefix}{key}", "value": value} for key, value in values.items()]
    if blinding_key:
        reference = {"name": EMAIL_BLINDING_SECRET, "key": EMAIL_BLINDING_KEY}
        env.append({"name": f"{schema.prefix}EMAIL_BLINDING_KEY", "valueFrom": {"secretKeyRef": reference}})
    return env
