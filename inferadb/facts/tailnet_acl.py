"""The tailnet policy file, generated from the topology: least privilege, with tests Tailscale runs.

Only what the deployment needs: Ledger peers reach each other's gRPC port, Engine reaches Ledger
(the seed's two rules). The seed's diagram also draws Engine <-> Engine on 8081, but its own ACL
does not allow it and Engine and Control talk only through Ledger, so neither does this policy.
Tailscale evaluates `tests` on every save and rejects a policy that breaks one.
"""

from __future__ import annotations

import json
from typing import Any

from inferadb.facts.ports import LEDGER_METRICS_PORT, LEDGER_PORT

LEDGER_TAG = "tag:ledger"
ENGINE_TAG = "tag:inferadb-engine"
TAG_OWNER = "autogroup:admin"


def tailnet_policy() -> dict[str, Any]:
    ledger_grpc = f"{LEDGER_TAG}:{LEDGER_PORT}"
    return {
        "tagOwners": {LEDGER_TAG: [TAG_OWNER], ENGINE_TAG: [TAG_OWNER]},
        "acls": [
            {"action": "accept", "src": [LEDGER_TAG], "dst": [ledger_grpc]},
            {"action": "accept", "src": [ENGINE_TAG], "dst": [ledger_grpc]},
        ],
        "tests": [
            {
                "src": LEDGER_TAG,
                "accept": [ledger_grpc],
                "deny": [f"{LEDGER_TAG}:22", f"{LEDGER_TAG}:{LEDGER_METRICS_PORT}", f"{ENGINE_TAG}:8081"],
            },
            {
                "src": ENGINE_TAG,
                "accept": [ledger_grpc],
                "deny": [f"{ENGINE_TAG}:{LEDGER_PORT}", f"{ENGINE_TAG}:8081", f"{LEDGER_TAG}:22"],
            },
        ],
    }


def tailnet_policy_json() -> str:
    return json.dumps(tailnet_policy(), indent=2)
