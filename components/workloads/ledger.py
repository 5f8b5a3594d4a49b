"""LedgerCluster: the Raft store of one region, its Services, disruption budget and bootstrap.

Bootstrap is start-then-init: every pod starts with the JOIN seeds, then each region's bootstrap Job
(components/workloads/bootstrap.py) runs InitCluster (in the primary only), waits for the voters of
the regions deployed so far and provisions its data region. Ledger's readiness is a TCP probe, so a
pod is Ready once it listens, before the cluster exists: readiness says nothing about bootstrap.
Pulumi therefore does not wait for the StatefulSet (`pulumi.com/skipAwait`); it waits for the Job,
which tells whether bootstrap worked.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_kubernetes as k8s

from components.shared.ledger_wiring import LedgerWiring
from components.shared.manifest import body
from components.shared.options import inherited_waits
from components.shared.pods import (
    container_security,
    disruption_budget,
    ledger_toleration,
    pod_identity_env,
    pod_labels,
    pod_security,
    pool_affinity,
    selector_labels,
    tmp_volume,
    zone_spread,
)
from components.shared.protection import guarded
from components.workloads.bootstrap import BootstrapArgs, bootstrap_job
from inferadb.facts.names import CLIENT_SERVICE, LEDGER_SERVICE_ACCOUNT
from inferadb.facts.names import LEDGER as LEDGER_STATEFUL_SET
from inferadb.facts.ports import LEDGER_METRICS_PORT as METRICS_PORT
from inferadb.facts.ports import LEDGER_PORT
from inferadb.facts.shutdown import LEDGER_GRACE_SECONDS as GRACE_SECONDS
from inferadb.facts.shutdown import PRE_STOP_SECONDS
from inferadb.plan.addressing import LedgerEndpoint
from inferadb.plan.workload_env import LedgerSettingsEnv

POD_NAME_LABEL = "statefulset.kubernetes.io/pod-name"  # set by the StatefulSet controller on each pod
DATA_DIR = "/var/lib/ledger"
SKIP_AWAIT = {"pulumi.com/skipAwait": "true"}


@dataclass(frozen=True)
class LedgerArgs:
    namespace: pulumi.Input[str]
    image: str
    schema: str
    """The settings schema of the pinned build."""
    replicas: int
    endpoints: tuple[LedgerEndpoint, ...]
    """Each ordinal's load balancer: its Service answers on the endpoint's NodePort."""
    jurisdiction: str
    """INFERADB__LEDGER__REGION: the Ledger region slug the topology maps this AWS region to."""
    wiring: LedgerWiring
    resources: dict[str, dict[str, str]]
    storage: str
    catch_up_seconds: int
    storage_class: pulumi.Input[str]
    bootstrap: BootstrapArgs
    """The Job that inits (primary only), waits for the region's voters and provisions its data region."""
    environment: str = "production"
    role: str = "primary"
    """Both labelled on the StatefulSet: policies allow a single replica only in dev or a witness."""
    keep: bool = True
    """Protect what holds data or identity (everywhere but a dev estate: components/shared/protection.py)."""


class LedgerCluster(pulumi.ComponentResource):
    stateful_set: k8s.apps.v1.StatefulSet
    client_service: pulumi.Output[str]
    bootstrap: k8s.batch.v1.Job
    """The region's bootstrap Job: Engine and Control start once it has completed."""

    def __init__(self, name: str, args: LedgerArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("inferadb:workloads:LedgerCluster", name, None, opts)
        # Every child waits for what the component waits for (the nodes and cluster DNS).
        child = pulumi.ResourceOptions(parent=self, depends_on=inherited_waits(opts))
        labels = selector_labels(LEDGER_STATEFUL_SET)
        meta = {"namespace": args.namespace, "labels": pod_labels(LEDGER_STATEFUL_SET)}
        k8s.core.v1.ServiceAccount(
            f"{name}-sa",
            metadata=body({**meta, "name": LEDGER_SERVICE_ACCOUNT}),
            automount_service_account_token=False,
            opts=child,
        )
        # The StatefulSet's governing Service (its serviceName cannot change). Peers no longer dial these
        # names: they reach each other through the Ledger endpoints (the per-ordinal Services below).
        headless = k8s.core.v1.Service(
            f"{name}-headless",
            metadata=body({**meta, "name": LEDGER_STATEFUL_SET}),
            spec=body(
                {
                    "clusterIP": "None",
                    "publishNotReadyAddresses": True,
                    "selector": labels,
                    "ports": [{"name": "grpc", "port": LEDGER_PORT, "targetPort": "grpc"}],
                }
            ),
            opts=child,
        )
        client = k8s.core.v1.Service(
            f"{name}-client",
            metadata=body({**meta, "name": CLIENT_SERVICE}),
            spec=body(
                {
                    "type": "ClusterIP",
                    "selector": labels,
                    "ports": [
                        {"name": "grpc", "port": LEDGER_PORT, "targetPort": "grpc"},
                        {"name": "metrics", "port": METRICS_PORT, "targetPort": "metrics"},
                    ],
                }
            ),
            opts=child,
        )
        for endpoint in args.endpoints:
            self._endpoint_service(name, endpoint, meta, child)
        self.stateful_set = self._stateful_set(name, args, meta, headless, child)
        disruption_budget(f"{name}-pdb", {**meta, "name": LEDGER_STATEFUL_SET}, LEDGER_STATEFUL_SET, child)
        self.bootstrap = bootstrap_job(name, args.bootstrap, [self.stateful_set, *args.wiring.reachable], self)
        self.client_service = client.metadata.name
        self.register_outputs({"client_service": self.client_service})

    def _endpoint_service(
        self, name: str, endpoint: LedgerEndpoint, meta: dict[str, Any], child: pulumi.ResourceOptions
    ) -> None:
        """Ordinal n's NodePort: what its load balancer forwards to, answered by pod n alone."""
        pod = f"{LEDGER_STATEFUL_SET}-{endpoint.ordinal}"
        k8s.core.v1.Service(
            f"{name}-endpoint-{endpoint.ordinal}",
            metadata=body({**meta, "name": f"{pod}-endpoint"}),
            spec=body(
                {
                    "type": "NodePort",
                    # Any Ledger node forwards to the pod, wherever it runs (the load balancer's
                    # targets are every node of the pool).
                    "externalTrafficPolicy": "Cluster",
                    # Nodes dial each other before init makes them Ready.
                    "publishNotReadyAddresses": True,
                    "selector": {**selector_labels(LEDGER_STATEFUL_SET), POD_NAME_LABEL: pod},
                    "ports": [
                        {"name": "grpc", "port": LEDGER_PORT, "targetPort": "grpc", "nodePort": endpoint.node_port}
                    ],
                }
            ),
            opts=child,
        )

    def _stateful_set(
        self,
        name: str,
        args: LedgerArgs,
        meta: dict[str, Any],
        headless: k8s.core.v1.Service,
        child: pulumi.ResourceOptions,
    ) -> k8s.apps.v1.StatefulSet:
        settings = LedgerSettingsEnv(
            schema=args.schema,
            listen=f"0.0.0.0:{LEDGER_PORT}",
            metrics=f"0.0.0.0:{METRICS_PORT}",
            data=DATA_DIR,
            join=args.wiring.join,
            advertise=args.wiring.advertise,
            region=args.jurisdiction,
        )
        tmp, tmp_mount = tmp_volume()
        ledger = {
            "name": "ledger",
            "image": args.image,
            "env": [*pod_identity_env(), *settings.env()],
            "ports": [
                {"name": "grpc", "containerPort": LEDGER_PORT},
                {"name": "metrics", "containerPort": METRICS_PORT},
            ],
            # Ledger's health is its own gRPC service (ledger.v1.HealthService), not grpc.health.v1: a
            # `grpc:` probe could fail on a healthy node, so TCP it is (README, verify per image).
            "startupProbe": {"tcpSocket": {"port": "grpc"}, "periodSeconds": 5, "failureThreshold": 120},
            # Ready only `catch_up_seconds` after the container starts: a TCP answer comes as soon as
            # 50051 binds, long before a new voter with an empty disk has caught up, and the
            # PodDisruptionBudget and the rolling update both go by Ready (docs/storage.md).
            "readinessProbe": {
                "tcpSocket": {"port": "grpc"},
                "initialDelaySeconds": args.catch_up_seconds,
                "periodSeconds": 5,
                "failureThreshold": 3,
            },
            "livenessProbe": {"tcpSocket": {"port": "grpc"}, "periodSeconds": 20, "failureThreshold": 6},
            # Kubernetes takes the pod out of its Services first; then Ledger's own shutdown phases run.
            "lifecycle": {"preStop": {"sleep": {"seconds": PRE_STOP_SECONDS}}},
            "resources": args.resources,
            "securityContext": container_security(),
            "volumeMounts": [{"name": "data", "mountPath": DATA_DIR}, tmp_mount],
        }
        containers, volumes = [ledger], [tmp]
        labels = selector_labels(LEDGER_STATEFUL_SET)
        return k8s.apps.v1.StatefulSet(
            f"{name}-statefulset",
            metadata=body(
                {
                    **meta,
                    "name": LEDGER_STATEFUL_SET,
                    "annotations": SKIP_AWAIT,
                    "labels": {
                        **meta["labels"],
                        "inferadb.io/environment": args.environment,
                        "inferadb.io/region-role": args.role,
                    },
                }
            ),
            spec=body(
                {
                    "replicas": args.replicas,
                    "serviceName": headless.metadata.name,
                    "podManagementPolicy": "Parallel",
                    "selector": {"matchLabels": labels},
                    "updateStrategy": {"type": "RollingUpdate"},
                    "persistentVolumeClaimRetentionPolicy": {"whenDeleted": "Retain", "whenScaled": "Retain"},
                    "template": {
                        "metadata": {"labels": meta["labels"]},
                        "spec": {
                            "serviceAccountName": LEDGER_SERVICE_ACCOUNT,
                            "automountServiceAccountToken": False,
                            "securityContext": pod_security(),
                            "terminationGracePeriodSeconds": GRACE_SECONDS,
                            "tolerations": [ledger_toleration()],
                            "affinity": pool_affinity("ledger", LEDGER_STATEFUL_SET, hard_host_spread=True),
                            "topologySpreadConstraints": zone_spread(LEDGER_STATEFUL_SET),
                            "containers": containers,
                            "volumes": volumes,
                        },
                    },
                    "volumeClaimTemplates": [
                        {
                            "metadata": {"name": "data", "labels": labels},
                            "spec": {
                                "accessModes": ["ReadWriteOnce"],
                                "storageClassName": args.storage_class,
                                "resources": {"requests": {"storage": args.storage}},
                            },
                        }
                    ],
                }
            ),
            opts=pulumi.ResourceOptions.merge(child, guarded(args.keep, retain=True)),
        )
