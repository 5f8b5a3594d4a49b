"""Metric names the alerts may use: what the pinned Ledger builds export, and kube-state-metrics.

Ledger (inferadb/ledger `crates/raft/src/metrics.rs`, at 53c2112 and 21345c4), on the METRICS
address. Only names whose value moves on its own are listed: `ledger_cluster_quorum_status` and
`ledger_leader_elections_total` are set only while something calls `ledger.v1.HealthService/Check`
(`crates/services/src/services/health.rs`), which no probe here does, so no alert reads them.
`ledger_disk_bytes_*` carry a `region` label (the Ledger data region, one series per Raft group).
`ledger_node_connections_active` is left out too: it counts registered peer channels and is never
decremented outside tests (`crates/raft/src/node_registry.rs`), so it cannot show a dead peer; no
exported gauge does, so an unreachable peer shows as the region's pods not Ready or as the
cross-region alert on quorum (LedgerRegionBreaksQuorum), not as a peer count.

kube-state-metrics v2 (kubernetes/kube-state-metrics at c92fe0c: docs/metrics/workload/statefulset-,
deployment- and pod-metrics.md, docs/metrics/storage/persistentvolumeclaim-metrics.md): the
Kubernetes view of what Ledger does not export itself.
Engine exports nothing (no /metrics route in inferadb/engine 08868a5); Control's /metrics is scraped
but nothing alerts on its names yet.
"""

from __future__ import annotations

_LEDGER_2026_04 = frozenset({"ledger_disk_bytes_used", "ledger_disk_bytes_total", "ledger_disk_bytes_free"})

LEDGER_METRICS: dict[str, frozenset[str]] = {
    "ledger-2026-04-20": _LEDGER_2026_04,
    "ledger-2026-04-29": _LEDGER_2026_04,
}
"""Ledger settings schema (one per build line, inferadb/facts/releases.py) -> names it exports."""

KUBE_STATE_METRICS = frozenset(
    {
        "kube_statefulset_replicas",
        "kube_statefulset_status_replicas_ready",
        "kube_deployment_spec_replicas",
        "kube_deployment_status_replicas_available",
        "kube_pod_container_status_restarts_total",
        "kube_pod_status_phase",
        "kube_persistentvolumeclaim_status_phase",
    }
)
