"""How preflight talks to AWS: short timeouts and a bounded retry, so an unreachable endpoint ends a
run in seconds (botocore's defaults wait a minute per attempt and retry more)."""

from __future__ import annotations

from botocore.config import Config

DEFAULT_TIMEOUT_SECONDS = 5.0


def client_config(timeout: float = DEFAULT_TIMEOUT_SECONDS) -> Config:
    return Config(connect_timeout=timeout, read_timeout=timeout, retries={"max_attempts": 2, "mode": "standard"})
