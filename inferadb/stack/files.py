"""The one reader of the stack files, `Pulumi.yaml` and `Pulumi.<stack>.yaml`.

`pulumi up` hands the program its stack's config through the engine (the program reads it with
`pulumi.Config`, in components/program/stack_config.py). The offline tools read the same files here:
synth (the SDK's mock runtime does not read stack files by itself, so synth passes the values to
`set_all_config`) and preflight (which only asks whether a credential is configured). `secure:`
values cannot be decrypted offline: the caller's placeholder stands in and the key is marked secret,
so the program treats it exactly as it would the real value.
"""

from __future__ import annotations

import difflib
import json
from pathlib import Path
from typing import Any

from inferadb.model.connectivity import TailscaleConnectivity
from inferadb.model.source import SourceError, read_mapping
from inferadb.model.topology import Topology
from inferadb.plan.tailnet_policy import PolicyMergeError, policy_document

# The `inferadb:` settings the program reads (components/program/stack_config.py and program.py), named once.
TOPOLOGY_KEY = "topology"
TAILSCALE_CLIENT_ID_KEY = "tailscaleOauthClientId"
TAILSCALE_CLIENT_SECRET_KEY = "tailscaleOauthClientSecret"  # noqa: S105 - a setting name, not a secret
ALERTMANAGER_CONFIG_KEY = "alertmanagerConfig"
"""monitoring.mode install: the whole alertmanager.yaml, receivers' credentials included (a secret)."""
SECRET_KEYS = (TAILSCALE_CLIENT_SECRET_KEY, ALERTMANAGER_CONFIG_KEY)
PROJECT_KEYS = (TOPOLOGY_KEY, TAILSCALE_CLIENT_ID_KEY, TAILSCALE_CLIENT_SECRET_KEY, ALERTMANAGER_CONFIG_KEY)


class StackConfigError(ValueError):
    """A stack file that cannot be deployed; the message names the file, the key and the fix."""


def stack_file(project_dir: Path, stack: str) -> Path:
    return project_dir / f"Pulumi.{stack}.yaml"


def read_stack_config(project_dir: Path, project: str, stack: str) -> dict[str, Any]:
    """The `config` block of `Pulumi.<stack>.yaml`, keys namespaced (`inferadb:x`), values as written.

    A region without a stack file gets `aws:region` only, as `pulumi stack init` would leave it.
    """
    path = stack_file(project_dir, stack)
    if not path.exists():
        return {"aws:region": stack}
    try:
        document = read_mapping(path, "stack file")
    except SourceError as exc:
        raise StackConfigError(str(exc)) from exc
    raw = document.get("config") or {}
    if not isinstance(raw, dict):
        raise StackConfigError(f"{path.name}: `config` must be a mapping of key: value")
    config = {key if ":" in key else f"{project}:{key}": value for key, value in raw.items()}
    for key in config:
        namespace, _, name = key.partition(":")
        if namespace == project and name not in PROJECT_KEYS:
            close = difflib.get_close_matches(name, PROJECT_KEYS, n=1)
            hint = f"did you mean `{project}:{close[0]}`?" if close else f"the program reads {', '.join(PROJECT_KEYS)}"
            raise StackConfigError(f"{path.name}: `{key}` is not a setting of this program; {hint}")
        if namespace == project and name in SECRET_KEYS and not is_secure(config[key]):
            raise StackConfigError(
                f"{path.name}: `{key}` holds a credential in plain text; set it with "
                f"`pulumi config set --secret {key} ...` (and rotate the exposed value)"
            )
    if config.get("aws:region") != stack:
        raise StackConfigError(
            f"{path.name}: aws:region is '{config.get('aws:region')}' but the stack is '{stack}'; "
            f"stacks are named after their region: set `aws:region: {stack}`"
        )
    return config


def is_secure(value: object) -> bool:
    """A `secure:` value: ciphertext only the Pulumi CLI can decrypt."""
    return isinstance(value, dict) and set(value) == {"secure"}


def load_stack_config(
    project_dir: Path, project: str, stack: str, secret_placeholder: str
) -> tuple[dict[str, str], list[str]]:
    """Config as the engine passes it (every value a string), and the keys that are secret."""
    config: dict[str, str] = {}
    secret_keys: list[str] = []
    for key, value in read_stack_config(project_dir, project, stack).items():
        if is_secure(value):
            config[key] = secret_placeholder
            secret_keys.append(key)
        elif isinstance(value, (dict, list)):
            config[key] = json.dumps(value)
        elif isinstance(value, bool):
            config[key] = "true" if value else "false"
        else:
            config[key] = str(value)
    return config, secret_keys


def policy_base(topology: Topology, topology_path: Path) -> dict[str, Any] | None:
    """The operator's tailnet policy the primary merges into, when the topology names one: the one
    place the program and synth both read it."""
    mode = topology.connectivity
    if isinstance(mode, TailscaleConnectivity) and mode.policy_base is not None:
        return read_policy_base(topology_path, mode.policy_base, topology)
    return None


def read_policy_base(topology_path: Path, relative: str, topology: Topology) -> dict[str, Any]:
    """The operator's tailnet policy file named by `connectivity.policy_base`, as a JSON object."""
    path = topology_path.parent / relative
    field = f"connectivity.policy_base ({path})"
    if ".." in Path(relative).parts:
        raise StackConfigError(f"{field}: give a path inside the project, without '..'")
    try:
        document = json.loads(path.read_text())
    except FileNotFoundError:
        raise StackConfigError(
            f"{field} does not exist; export the tailnet's policy (admin console, Access controls, or "
            f"GET /api/v2/tailnet/-/acl with Accept: application/json) into it"
        ) from None
    except (OSError, ValueError) as exc:
        raise StackConfigError(
            f"{field} is not a JSON policy ({exc}); write it as plain JSON, without comments"
        ) from None
    if not isinstance(document, dict):
        raise StackConfigError(f"{field} must hold a JSON object (a tailnet policy)")
    try:
        policy_document(topology, document)  # the merge is checked here, before the program declares anything
    except PolicyMergeError as exc:
        raise StackConfigError(f"{exc} ({path})") from None
    return document


def project_name(project_dir: Path) -> str:
    try:
        document = read_mapping(project_dir / "Pulumi.yaml", "project file")
    except SourceError as exc:
        raise StackConfigError(str(exc)) from exc
    name = document.get("name")
    if not isinstance(name, str) or not name:
        raise StackConfigError("Pulumi.yaml: `name` must be the project's name")
    return name
