"""Stack configuration as `pulumi up` would pass it, read from `Pulumi.<stack>.yaml`.

Unit runs do not read stack files by themselves (FACTS.md), so synth loads them and hands the
values to `set_all_config`. `secure:` values cannot be decrypted offline: a placeholder stands in
and the key is marked secret, so the program treats it exactly as it would the real value.
"""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from synth.wire import SECRET_MARKER


class StackConfigError(ValueError):
    """A stack file that cannot be deployed; the message names the file, the key and the fix."""


def stack_file(project_dir: Path, stack: str) -> Path:
    return project_dir / f"Pulumi.{stack}.yaml"


def load_stack_config(project_dir: Path, project: str, stack: str) -> tuple[dict[str, str], list[str]]:
    """Config and secret keys for `stack`; a region without a stack file gets `aws:region` only."""
    path = stack_file(project_dir, stack)
    if not path.exists():
        return {"aws:region": stack}, []
    try:
        document = yaml.safe_load(path.read_text()) or {}
    except yaml.YAMLError as exc:
        raise StackConfigError(f"{path.name}: not valid YAML: {exc}") from exc
    raw = document.get("config") or {}
    if not isinstance(raw, dict):
        raise StackConfigError(f"{path.name}: `config` must be a mapping of key: value")
    config: dict[str, str] = {}
    secret_keys: list[str] = []
    for key, value in raw.items():
        full_key = key if ":" in key else f"{project}:{key}"
        if isinstance(value, dict) and set(value) == {"secure"}:
            config[full_key] = SECRET_MARKER
            secret_keys.append(full_key)
        elif isinstance(value, (dict, list)):
            config[full_key] = json.dumps(value)
        elif isinstance(value, bool):
            config[full_key] = "true" if value else "false"
        else:
            config[full_key] = str(value)
    if config.get("aws:region") != stack:
        raise StackConfigError(
            f"{path.name}: aws:region is '{config.get('aws:region')}' but the stack is '{stack}'; "
            f"stacks are named after their region: set `aws:region: {stack}`"
        )
    return config, secret_keys


def project_name(project_dir: Path) -> str:
    document = yaml.safe_load((project_dir / "Pulumi.yaml").read_text())
    return str(document["name"])
