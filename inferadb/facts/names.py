"""Names every layer agrees on: the namespace, workload names, labels, the Ledger pool's taint.

Plain values (no dependencies), shared by the components, the plan and the policy pack, so a
selector, a NetworkPolicy and a policy rule can never disagree about what they point at.
"""

from __future__ import annotations

NAMESPACE = "inferadb"
"""The Kubernetes namespace of every InferaDB workload (Pod Security `restricted`, enforced)."""

LEDGER = "inferadb-ledger"
"""Ledger's StatefulSet, its headless Service and its pods' name prefix (`inferadb-ledger-0`)."""
ENGINE = "inferadb-engine"
CONTROL = "inferadb-control"
LEDGER_SERVICE_ACCOUNT = "inferadb-ledger"
CLIENT_SERVICE = f"{LEDGER}-client"  # the Service over every Ledger pod of a region, for its Engine and Control

EMAIL_BLINDING_SECRET = "inferadb-email-blinding"
"""The Secret holding the e-mail blinding key Ledger and Control read, the same in every region."""
EMAIL_BLINDING_KEY = "key"
"""Its one key: 64 hex characters (32 bytes), as Ledger and Control parse it."""
CREDENTIAL_SECRETS = frozenset({EMAIL_BLINDING_SECRET})
"""Secrets that hold credentials: their values must be Pulumi secrets, never plain text."""

HOLD_ANNOTATION = "inferadb.io/held"
"""On a workload the plan runs with zero replicas: why it cannot run yet."""

PART_OF = {"app.kubernetes.io/part-of": "inferadb"}
LEDGER_CLIENT_LABEL = {"inferadb.io/ledger-client": "true"}
"""Pods with this label are admitted to Ledger's client port by NetworkPolicy."""

POOL_LABEL = "inferadb.io/pool"
"""Node label naming a node group's pool (`ledger`, `general`); workloads select on it."""
LEDGER_TAINT = {"key": "dedicated", "value": "ledger", "effect": "NO_SCHEDULE"}
"""The Ledger pool's taint as the EKS API spells it; Kubernetes spells the effect `NoSchedule`."""

LEDGER_STORAGE_CLASS = "local-nvme"
"""The StorageClass of the Ledger volumes (instance-store disks): Retain, protected, kept on destroy."""

LEDGER_DNS_ZONE = "ledger.inferadb.internal"
"""Private hosted zone (peering mode) associated with every region's VPC."""

LOCAL_DISKS_DIR = "/mnt/k8s-disks"
"""Where nodeadm mounts the instance-store NVMe disks, and the local provisioner discovers them."""


# The state backend `preflight bootstrap-state` creates and `make deploy` logs in to: the stacks'
# secrets key (multi-Region, replicated to every region) and the URLs Pulumi takes.
SECRETS_KEY_ALIAS = "alias/inferadb-pulumi-secrets"


def backend_url(bucket: str, region: str) -> str:
    return f"s3://{bucket}?region={region}"


def secrets_provider_url(region: str) -> str:
    return f"awskms://{SECRETS_KEY_ALIAS}?region={region}"
