"""Monitoring: ServiceMonitors for the three workloads and the seed guide's Ledger alerts.

Needs the Prometheus operator's CRDs (monitoring.coreos.com/v1). The quorum alert's threshold is
computed from the topology: a node sees quorum when it and its connected peers are a majority.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_kubernetes as k8s

from inferadb.components.shared.manifest import body
from inferadb.components.shared.pods import selector_labels
from inferadb.facts.names import CONTROL, ENGINE, LEDGER, NAMESPACE, PART_OF
from inferadb.facts.names import LEDGER as LEDGER_STATEFUL_SET

API = "monitoring.coreos.com/v1"


@dataclass(frozen=True)
class MonitoringArgs:
    namespace: pulumi.Input[str]
    release_label: str
    quorum: int
    runbook_base_url: str
    engine_and_control: bool


def ledger_alerts(quorum: int, runbooks: str) -> list[dict[str, Any]]:
    def alert(name: str, expr: str, wait: str, summary: str) -> dict[str, Any]:
        return {
            "alert": name,
            "expr": expr,
            "for": wait,
            "labels": {"severity": "critical"},
            "annotations": {"summary": summary, "runbook_url": f"{runbooks.rstrip('/')}/{name}.md"},
        }

    ns = f'namespace="{NAMESPACE}"'
    return [
        alert(
            "LedgerNoLeader",
            f"max(ledger_raft_leader{{{ns}}}) == 0",
            "1m",
            "No Ledger node in this region sees a Raft leader: writes are stopped.",
        ),
        alert(
            "LedgerReplicationLag",
            f"max(ledger_replication_lag_seconds{{{ns}}}) > 5",
            "2m",
            "Ledger replication lags more than 5 s behind the leader.",
        ),
        alert(
            "LedgerPeersBelowQuorum",
            f"min(ledger_raft_peers_connected{{{ns}}}) + 1 < {quorum}",
            "2m",
            f"A Ledger node reaches fewer than {quorum - 1} peers: with itself, below the quorum of {quorum}.",
        ),
        alert(
            "LedgerStorageFull",
            f"max(ledger_storage_used_bytes{{{ns}}} / ledger_storage_total_bytes{{{ns}}}) > 0.8",
            "10m",
            "A Ledger volume is more than 80 % full; local NVMe volumes cannot grow.",
        ),
    ]


class Monitoring(pulumi.ComponentResource):
    def __init__(self, name: str, args: MonitoringArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("inferadb:workloads:Monitoring", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        labels = {"release": args.release_label, **PART_OF}
        targets = [(LEDGER_STATEFUL_SET, "metrics", "/metrics")]
        if args.engine_and_control:
            targets += [(ENGINE, "http", "/metrics"), (CONTROL, "http", "/metrics")]
        for app, port, path in targets:
            k8s.apiextensions.CustomResource(
                f"{name}-{app}",
                api_version=API,
                kind="ServiceMonitor",
                metadata=body({"name": app, "namespace": args.namespace, "labels": labels}),
                spec=body(
                    {
                        "selector": {"matchLabels": selector_labels(app)},
                        "namespaceSelector": {"matchNames": [args.namespace]},
                        "endpoints": [{"port": port, "path": path, "interval": "30s"}],
                    }
                ),
                opts=child,
            )
        k8s.apiextensions.CustomResource(
            f"{name}-ledger-rules",
            api_version=API,
            kind="PrometheusRule",
            metadata=body({"name": LEDGER, "namespace": args.namespace, "labels": labels}),
            spec=body({"groups": [{"name": LEDGER, "rules": ledger_alerts(args.quorum, args.runbook_base_url)}]}),
            opts=child,
        )
        self.register_outputs({})
