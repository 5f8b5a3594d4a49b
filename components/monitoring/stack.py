"""PrometheusStack (`monitoring.mode: install`): the Prometheus operator, Prometheus and Alertmanager.

kube-prometheus-stack, pinned (chart values read in prometheus-community/helm-charts at cf408a2,
`charts/kube-prometheus-stack/values.yaml`, chart 88.5.3): its CRDs come with the release, so the
ServiceMonitors and the PrometheusRule are created after it (they depend on it). Prometheus keeps
`monitoring.retention` of samples on a gp3 volume (the EBS CSI driver add-on provisions it, through
the encrypted `gp3` StorageClass here). It selects ServiceMonitors and rules by the `release` label,
which is the release's name (`serviceMonitorSelectorNilUsesHelmValues`). Grafana is off: its chart
defaults to a well-known admin password; bring your own dashboards. Alertmanager reads its whole
configuration, receivers and their credentials included, from the secret stack setting
`inferadb:alertmanagerConfig` (a Kubernetes Secret, `alertmanagerSpec.configSecret`) when it is set.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_kubernetes as k8s

from components.shared.manifest import body
from components.shared.options import inherited_waits
from inferadb.facts.names import PART_OF

CHART = "kube-prometheus-stack"
CHART_VERSION = "88.5.3"
CHART_REPOSITORY = "https://prometheus-community.github.io/helm-charts"
STORAGE_CLASS = "gp3"
ALERTMANAGER_SECRET = "alertmanager-inferadb"  # noqa: S105 - a Secret's name, not a secret
# node-exporter needs the host's network and PID namespace: the namespace cannot be `restricted`.
PSS_PRIVILEGED = {f"pod-security.kubernetes.io/{mode}": "privileged" for mode in ("enforce", "audit", "warn")}


@dataclass(frozen=True)
class PrometheusStackArgs:
    namespace: str
    release: str
    """The release's name, which is also the `release` label Prometheus selects by."""
    retention: str
    storage: str
    alertmanager_config: pulumi.Input[str] | None
    """Secret: the whole alertmanager.yaml, receivers included; None keeps the chart's (no receivers)."""


class PrometheusStack(pulumi.ComponentResource):
    release: k8s.helm.v3.Release

    def __init__(self, name: str, args: PrometheusStackArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("inferadb:monitoring:PrometheusStack", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        namespace = k8s.core.v1.Namespace(
            f"{name}-namespace",
            metadata=body({"name": args.namespace, "labels": {**PSS_PRIVILEGED, **PART_OF}}),
            opts=child,
        )
        storage = k8s.storage.v1.StorageClass(
            f"{name}-gp3",
            metadata=body({"name": STORAGE_CLASS, "labels": PART_OF}),
            provisioner="ebs.csi.aws.com",
            parameters={"type": "gp3", "encrypted": "true"},
            volume_binding_mode="WaitForFirstConsumer",
            reclaim_policy="Delete",
            allow_volume_expansion=True,
            opts=child,
        )
        # The release's pods need the nodes and the EBS CSI driver the component waits for.
        waits: list[pulumi.Resource] = [*inherited_waits(opts), namespace, storage]
        alertmanager: dict[str, object] = {}
        if args.alertmanager_config is not None:
            secret = k8s.core.v1.Secret(
                f"{name}-alertmanager",
                metadata=body({"name": ALERTMANAGER_SECRET, "namespace": args.namespace, "labels": PART_OF}),
                type="Opaque",
                string_data={"alertmanager.yaml": pulumi.Output.secret(args.alertmanager_config)},
                opts=pulumi.ResourceOptions(parent=self, depends_on=[namespace]),
            )
            waits.append(secret)
            alertmanager = {"alertmanagerSpec": {"configSecret": ALERTMANAGER_SECRET}}
        volume = {
            "spec": {
                "storageClassName": STORAGE_CLASS,
                "accessModes": ["ReadWriteOnce"],
                "resources": {"requests": {"storage": args.storage}},
            }
        }
        self.release = k8s.helm.v3.Release(
            f"{name}-release",
            name=args.release,
            chart=CHART,
            version=CHART_VERSION,
            namespace=args.namespace,
            repository_opts=k8s.helm.v3.RepositoryOptsArgs(repo=CHART_REPOSITORY),
            values={
                "grafana": {"enabled": False},
                "alertmanager": alertmanager,
                "prometheus": {
                    "prometheusSpec": {
                        "retention": args.retention,
                        "storageSpec": {"volumeClaimTemplate": volume},
                    }
                },
            },
            timeout=900,
            opts=pulumi.ResourceOptions(parent=self, depends_on=waits),
        )
        self.register_outputs({"release": self.release.name})
