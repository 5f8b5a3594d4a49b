"""How preflight talks to AWS: short timeouts and a bounded retry, so an unreachable endpoint ends a
run in seconds (botocore's defaults wait a minute per attempt and retry more); and one loader of
botocore's service models for every session, so a model is read from disk once per run."""

from __future__ import annotations

import boto3
import botocore.loaders
import botocore.session
from botocore.config import Config

DEFAULT_TIMEOUT_SECONDS = 5.0

# Service models and endpoint rules only: no credentials or region live in the loader.
_LOADER = botocore.loaders.create_loader()


def client_config(timeout: float = DEFAULT_TIMEOUT_SECONDS) -> Config:
    return Config(connect_timeout=timeout, read_timeout=timeout, retries={"max_attempts": 2, "mode": "standard"})


def session(region: str) -> boto3.session.Session:
    """A fresh session for `region` (credentials resolved anew: the usual chain, AWS_ENDPOINT_URL
    honoured) that shares the process's model loader. Each new client then costs milliseconds
    instead of reading and parsing its service's JSON models again."""
    core = botocore.session.get_session()
    core.register_component("data_loader", _LOADER)
    made = boto3.session.Session(botocore_session=core, region_name=region)
    # boto3 adds its own resource models to the loader's search path for each session it makes.
    _LOADER.search_paths[:] = list(dict.fromkeys(_LOADER.search_paths))
    return made
