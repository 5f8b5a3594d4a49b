"""Rules only the recording engine can check (CrossGuard cannot see them: docs/sources.md).

Policies receive secrets already decrypted and do not see `retainOnDelete`; synth's records keep
both, so these run in `python -m policies.check` and `python -m synth`, not in the CLI's pack.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from inferadb.facts.names import CREDENTIAL_SECRETS, LEDGER, LEDGER_STORAGE_CLASS, NAMESPACE

SECRET_MARKER = "[secret]"


@dataclass(frozen=True)
class RecordedRule:
    name: str
    description: str
    remediation: str
    check: Callable[[dict[str, Any]], list[str]]


def _leaves(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return [leaf for v in value.values() for leaf in _leaves(v)]
    return [value]


def secrets_are_secret(record: dict[str, Any]) -> list[str]:
    props = record["props"]
    if (
        record["type"] == "kubernetes:core/v1:Secret"
        and (props.get("metadata") or {}).get("name") in CREDENTIAL_SECRETS
    ):
        values = _leaves(props.get("stringData") or {}) + _leaves(props.get("data") or {})
        if not values or any(v != SECRET_MARKER for v in values):
            return [f"Secret {props['metadata']['name']} holds a credential that is not a Pulumi secret"]
    if record["type"] == "aws:ssm/parameter:Parameter" and (
        props.get("type") != "SecureString" or props.get("value") != SECRET_MARKER
    ):
        return [f"SSM parameter {props.get('name')} holds a credential that is not a Pulumi secret in a SecureString"]
    if record["type"] == "pulumi:providers:kubernetes" and props.get("kubeconfig") not in (None, SECRET_MARKER):
        return ["the kubeconfig is not a Pulumi secret"]
    return []


def retained_on_delete(record: dict[str, Any]) -> list[str]:
    props, kind = record["props"], record["props"].get("kind")
    name = (props.get("metadata") or {}).get("name")
    ledger_state = (
        (kind == "StatefulSet" and name == LEDGER)
        or (kind == "Namespace" and name == NAMESPACE)
        or (kind == "StorageClass" and name == LEDGER_STORAGE_CLASS)
    )
    if record["type"].startswith("kubernetes:") and ledger_state and not record.get("retainOnDelete"):
        return [f"{kind} {name} holds Ledger data and must be retain_on_delete"]
    return []


RULES = [
    RecordedRule(
        "pulumi-secrets-are-secret",
        "Auth keys (SecureString parameters), the e-mail blinding key and the kubeconfig are Pulumi secrets",
        "Wrap the value in pulumi.Output.secret (or take it from a secret output).",
        secrets_are_secret,
    ),
    RecordedRule(
        "pulumi-retain-on-delete-stateful",
        "Ledger's StatefulSet, namespace and StorageClass survive destroy",
        "retain_on_delete=True on them.",
        retained_on_delete,
    ),
]
