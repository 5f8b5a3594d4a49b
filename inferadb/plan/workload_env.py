"""The configuration variables of the InferaDB images, in one typed place, tied to image versions.

Older manifests use PEERS, CLUSTER, BOOTSTRAP_EXPECT, LISTEN_ADDR, DATA_DIR, which the current Ledger
binary ignores (docs/sources.md); a schema per release line keeps the names the pinned image actually reads.
Add a schema here when a new release renames a variable, and map its version in
inferadb/facts/image_refs.SCHEMAS.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LedgerSettingsEnv:
    listen: str
    metrics: str
    data: str
    join: list[str]
    advertise: str
    region: str
    log_format: str = "json"
    init_wait_timeout_seconds: int = 600

    def env(self) -> list[dict[str, str]]:
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
        return _prefixed("INFERADB__LEDGER__", values)


@dataclass(frozen=True)
class EngineSettingsEnv:
    http: str
    grpc: str
    mesh: str
    ledger_endpoint: str
    ledger_client_id: str
    storage: str = "ledger"  # the chart's default `memory` loses every relationship on restart

    def env(self) -> list[dict[str, str]]:
        values = {
            "LISTEN__HTTP": self.http,
            "LISTEN__GRPC": self.grpc,
            "LISTEN__MESH": self.mesh,
            "STORAGE": self.storage,
            "LEDGER__ENDPOINT": self.ledger_endpoint,
            "LEDGER__CLIENT_ID": self.ledger_client_id,
        }
        return _prefixed("INFERADB__ENGINE__", values)


@dataclass(frozen=True)
class ControlSettingsEnv:
    listen: str
    ledger_endpoint: str
    ledger_client_id: str
    key_file: str
    worker_id: str
    """`$(POD_INDEX)`: Control runs with ordinals starting at its region's WORKER_ID base."""
    storage: str = "ledger"
    log_format: str = "json"

    def env(self) -> list[dict[str, str]]:
        values = {
            "LISTEN": self.listen,
            "LEDGER_ENDPOINT": self.ledger_endpoint,
            "LEDGER_CLIENT_ID": self.ledger_client_id,
            "STORAGE": self.storage,
            "KEY_FILE": self.key_file,
            "WORKER_ID": self.worker_id,
            "LOG_FORMAT": self.log_format,
        }
        return _prefixed("INFERADB__CONTROL__", values)


def _prefixed(prefix: str, values: dict[str, str]) -> list[dict[str, str]]:
    return [{"name": f"{prefix}{key}", "value": value} for key, value in values.items()]
