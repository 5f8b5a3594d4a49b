"""The tailnet policy file, generated from the topology: least privilege, with tests Tailscale runs.

Only what the deployment needs: Ledger peers reach each other's gRPC port. The seed also tags
Engine pods, but Engine dials only its own region's Ledger Service (inferadb/engine 08868a5), so no
Engine identity joins the tailnet and no rule admits one.
Tailscale evaluates `tests` on every save and rejects a policy that breaks one.
"""

from __future__ import annotations

from typing import Any

from inferadb.facts.ports import LEDGER_METRICS_PORT, LEDGER_PORT

LEDGER_TAG = "tag:ledger"
TAG_OWNER = "autogroup:admin"


def tailnet_policy() -> dict[str, Any]:
    ledger_grpc = f"{LEDGER_TAG}:{LEDGER_PORT}"
    return {
        "tagOwners": {LEDGER_TAG: [TAG_OWNER]},
        "acls": [{"action": "accept", "src": [LEDGER_TAG], "dst": [ledger_grpc]}],
        "tests": [
            {
                "src": LEDGER_TAG,
                "accept": [ledger_grpc],
                "deny": [f"{LEDGER_TAG}:22", f"{LEDGER_TAG}:{LEDGER_METRICS_PORT}"],
            },
        ],
    }
