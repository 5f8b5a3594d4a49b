"""The environment variables each settings schema's binary reads, and the ones it cannot start without.

Read from the source at the commits in inferadb/facts/releases.py:
- ledger: `crates/server/src/config.rs` (clap `env = "INFERADB__LEDGER__..."`), 53c2112 and 21345c4.
- engine: `crates/config/src/lib.rs` (figment, `INFERADB__ENGINE__` with `__` nesting; `validate()`
  requires the Ledger endpoint, client id and namespace id when storage is `ledger`), 08868a5.
- control: `crates/config/src/lib.rs` (clap, `INFERADB__CONTROL__`; `validate()` requires the Ledger
  endpoint and client id when storage is `ledger`), 64b23b5.

`REQUIRED` adds what a real deployment cannot do without even where the binary has a default: a
listen address other than the loopback default, the email blinding key Ledger and Control share,
Control's public URLs (they default to localhost) and a WORKER_ID unique per instance.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Schema:
    prefix: str
    reads: frozenset[str]
    required: frozenset[str]

    def names(self, keys: frozenset[str]) -> frozenset[str]:
        return frozenset(self.prefix + key for key in keys)


_LEDGER_REQUIRED = frozenset({"LISTEN", "DATA", "METRICS", "JOIN", "ADVERTISE", "REGION", "EMAIL_BLINDING_KEY"})
_LEDGER_BOTH = frozenset(
    [
        "ADVERTISE",
        "DATA",
        "EMAIL_BLINDING_KEY",
        "INIT_WAIT_TIMEOUT",
        "JOIN",
        "LISTEN",
        "LOG_FORMAT",
        "MAX_CONCURRENT",
        "METRICS",
        "REGION",
        "SOCKET",
        "TIMEOUT",
    ]
)

SCHEMAS: dict[str, Schema] = {
    # 53c2112 also reads these two; 21345c4 dropped them and added the five below.
    "ledger-2026-04-20": Schema(
        "INFERADB__LEDGER__", _LEDGER_BOTH | {"ENABLE_GRPC_REFLECTION", "SHARDS_PER_REGION"}, _LEDGER_REQUIRED
    ),
    "ledger-2026-04-29": Schema(
        "INFERADB__LEDGER__",
        _LEDGER_BOTH | {"DEV", "RATE_LIMIT", "REGIONS", "VAULT_HIBERNATION", "VAULT_METRICS"},
        _LEDGER_REQUIRED,
    ),
    "engine-2026-02": Schema(
        "INFERADB__ENGINE__",
        frozenset(
            [
                "THREADS",
                "LOGGING",
                "PEM",
                "LISTEN__HTTP",
                "LISTEN__GRPC",
                "STORAGE",
                "LEDGER__ENDPOINT",
                "LEDGER__CLIENT_ID",
                "LEDGER__NAMESPACE_ID",
                "LEDGER__VAULT_ID",
                "CACHE__ENABLED",
                "CACHE__CAPACITY",
                "CACHE__TTL",
                "TOKEN__CACHE_TTL",
                "TOKEN__CLOCK_SKEW",
                "TOKEN__MAX_AGE",
                "SCHEMA",
            ]
        ),
        frozenset({"LISTEN__HTTP", "STORAGE", "LEDGER__ENDPOINT", "LEDGER__CLIENT_ID", "LEDGER__NAMESPACE_ID"}),
    ),
    "control-2026-04": Schema(
        "INFERADB__CONTROL__",
        frozenset(
            [
                "LISTEN",
                "LOG_LEVEL",
                "LOG_FORMAT",
                "PEM",
                "KEY_FILE",
                "STORAGE",
                "LEDGER_ENDPOINT",
                "LEDGER_CLIENT_ID",
                "EMAIL_BLINDING_KEY",
                "EMAIL_HOST",
                "EMAIL_PORT",
                "EMAIL_USERNAME",
                "EMAIL_PASSWORD",
                "EMAIL_FROM_ADDRESS",
                "EMAIL_FROM_NAME",
                "EMAIL_INSECURE",
                "FRONTEND_URL",
                "WEBAUTHN_RP_ID",
                "WEBAUTHN_ORIGIN",
                "TRUSTED_PROXY_DEPTH",
                "WORKER_ID",
            ]
        ),
        frozenset(
            [
                "LISTEN",
                "STORAGE",
                "LEDGER_ENDPOINT",
                "LEDGER_CLIENT_ID",
                "EMAIL_BLINDING_KEY",
                "FRONTEND_URL",
                "WEBAUTHN_RP_ID",
                "WEBAUTHN_ORIGIN",
                "WORKER_ID",
            ]
        ),
    ),
}
