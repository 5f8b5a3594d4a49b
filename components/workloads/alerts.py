"""Monitoring: ServiceMonitors for what serves /metrics, and alerts on signals that exist.

Needs the Prometheus operator's CRDs (monitoring.coreos.com/v1) and kube-state-metrics (part of
kube-prometheus-stack). Ledger and Control are scraped; Engine serves no /metrics, so it gets no
ServiceMonitor. Every alert reads only names in inferadb/facts/metrics.py (a test checks it), and
each has a page under docs/runbooks/.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_kubernetes as k8s

from components.shared.manifest import body
from components.shared.options import inherited_waits
from components.shared.pods import selector_labels
from inferadb.facts.names import CONTROL, ENGINE, LEDGER, NAMESPACE, PART_OF

API = "monitoring.coreos.com/v1"


@dataclass(frozen=True)
class MonitoringArgs:
    namespace: pulumi.Input[str]
    release_label: str
    quorum: int
    """Voters the whole cluster needs."""
    voters: int
    """Voters in every region together."""
    ledger_replicas: int
    """Voters in this region."""
    runbook_base_url: str
    control: bool
    """Engine and Control run here (not a witness)."""


@dataclass(frozen=True)
class Alert:
    name: str
    expr: str
    wait: str
    severity: str
    summary: str

    def rule(self, runbooks: str) -> dict[str, Any]:
        return {
            "alert": self.name,
            "expr": self.expr,
            "for": self.wait,
            "labels": {"severity": self.severity},
            "annotations": {"summary": self.summary, "runbook_url": f"{runbooks.rstrip('/')}/{self.name}.md"},
        }


def ledger_alerts(args: MonitoringArgs) -> list[Alert]:
    ns = f'namespace="{NAMESPACE}"'
    sts = f'{ns}, statefulset="{LEDGER}"'
    alerts = [
        Alert(
            "LedgerDiskFilling",
            f"max by (pod, region) (ledger_disk_bytes_used{{{ns}}} / ledger_disk_bytes_total{{{ns}}}) > 0.8",
            "10m",
            "critical",
            "A Ledger data disk is more than 80 % full; instance-store volumes cannot grow.",
        ),
        Alert(
            "LedgerReplicasNotReady",
            f"kube_statefulset_status_replicas_ready{{{sts}}} < kube_statefulset_replicas{{{sts}}}",
            "10m",
            "warning",
            "A Ledger pod of this region has not been ready for 10 minutes: the cluster has one voter less.",
        ),
        Alert(
            "LedgerPodRestarting",
            f'increase(kube_pod_container_status_restarts_total{{{ns}, container="ledger"}}[30m]) > 2',
            "0m",
            "warning",
            "A Ledger container restarted more than twice in 30 minutes.",
        ),
        Alert(
            "LedgerVolumeUnbound",
            f'kube_persistentvolumeclaim_status_phase{{{ns}, persistentvolumeclaim=~"data-{LEDGER}-.*", '
            f'phase="Pending"}} == 1',
            "15m",
            "critical",
            "A Ledger volume claim is Pending: its node was replaced and no local disk is free for it.",
        ),
    ]
    # How many of this region's voters may be down before the cluster loses quorum with every other
    # region healthy; when that is "all of them", the region alone cannot break quorum.
    must_stay = args.quorum - (args.voters - args.ledger_replicas)
    if must_stay > 0:
        alerts.append(
            Alert(
                "LedgerRegionBreaksQuorum",
                f"kube_statefulset_status_replicas_ready{{{sts}}} < {must_stay}",
                "2m",
                "critical",
                f"Fewer than {must_stay} Ledger voters of this region are ready: even with every other region "
                f"up, the cluster is below its quorum of {args.quorum} and accepts no writes.",
            )
        )
    return alerts


def client_alerts() -> list[Alert]:
    ns = f'namespace="{NAMESPACE}"'
    deploy = f'{ns}, deployment="{ENGINE}"'
    sts = f'{ns}, statefulset="{CONTROL}"'
    return [
        Alert(
            "EngineUnavailable",
            f"kube_deployment_status_replicas_available{{{deploy}}} == 0 "
            f"and kube_deployment_spec_replicas{{{deploy}}} > 0",
            "5m",
            "critical",
            "No Engine replica of this region is available: authorization checks here fail.",
        ),
        Alert(
            "ControlUnavailable",
            f"kube_statefulset_status_replicas_ready{{{sts}}} == 0 and kube_statefulset_replicas{{{sts}}} > 0",
            "5m",
            "critical",
            "No Control replica of this region is ready: sign-in and management fail here.",
        ),
    ]


class Monitoring(pulumi.ComponentResource):
    def __init__(self, name: str, args: MonitoringArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("inferadb:workloads:Monitoring", name, None, opts)
        # The objects need the operator's CRDs: they wait for what the component waits for (the release).
        child = pulumi.ResourceOptions(parent=self, depends_on=inherited_waits(opts))
        labels = {"release": args.release_label, **PART_OF}
        targets = [(LEDGER, "metrics")] + ([(CONTROL, "http")] if args.control else [])
        for app, port in targets:
            k8s.apiextensions.CustomResource(
                f"{name}-{app}",
                api_version=API,
                kind="ServiceMonitor",
                metadata=body({"name": app, "namespace": args.namespace, "labels": labels}),
                spec=body(
                    {
                        "selector": {"matchLabels": selector_labels(app)},
                        "namespaceSelector": {"matchNames": [args.namespace]},
                        "endpoints": [{"port": port, "path": "/metrics", "interval": "30s"}],
                    }
                ),
                opts=child,
            )
        alerts = ledger_alerts(args) + (client_alerts() if args.control else [])
        k8s.apiextensions.CustomResource(
            f"{name}-ledger-rules",
            api_version=API,
            kind="PrometheusRule",
            metadata=body({"name": LEDGER, "namespace": args.namespace, "labels": labels}),
            spec=body({"groups": [{"name": LEDGER, "rules": [a.rule(args.runbook_base_url) for a in alerts]}]}),
            opts=child,
        )
        self.register_outputs({})
