"""LedgerBootstrap: the Job that brings a region's Ledger nodes into one cluster, in every region.

The steps (inferadb/plan/bootstrap_script.py) run with grpcurl against this region's ordinal 0 at
its load balancer literal, reading the AdminService definitions from a descriptor set in a
ConfigMap (Ledger serves no reflection by default). The pod template carries a digest of the
script and the descriptors: a change to either replaces the Job, which runs the idempotent steps
again; an unchanged plan never re-runs it.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_kubernetes as k8s

from components.shared.manifest import body
from components.shared.pods import container_security, pod_labels, pod_security
from inferadb.facts.names import LEDGER as LEDGER_STATEFUL_SET
from inferadb.plan.admin_protoset import protoset
from inferadb.plan.bootstrap_script import PROTOSET, BootstrapSteps, bootstrap_script

BOOTSTRAP = f"{LEDGER_STATEFUL_SET}-bootstrap"
MOUNT = PROTOSET.rsplit("/", 1)[0]


@dataclass(frozen=True)
class BootstrapArgs:
    namespace: pulumi.Input[str]
    image: str
    steps: BootstrapSteps


def bootstrap_job(
    name: str, args: BootstrapArgs, waits: list[pulumi.Resource], parent: pulumi.Resource
) -> k8s.batch.v1.Job:
    """The Job (Engine and Control wait for it). Pulumi waits for it to complete, a little longer than
    the Job's own deadline, so a slow bootstrap fails the update with the Job's message, not a timeout."""
    script = bootstrap_script(args.steps)
    descriptors = protoset()
    digest = hashlib.sha256(script.encode() + descriptors).hexdigest()[:16]
    labels = pod_labels(BOOTSTRAP, ledger_client=True)
    meta = {"name": BOOTSTRAP, "namespace": args.namespace, "labels": labels}
    config = k8s.core.v1.ConfigMap(
        f"{name}-bootstrap",
        metadata=body(meta),
        data={"bootstrap.sh": script},
        binary_data={"admin.protoset": base64.b64encode(descriptors).decode()},
        opts=pulumi.ResourceOptions(parent=parent),
    )
    wait = f"{args.steps.deadline_seconds // 60 + 5}m"
    return k8s.batch.v1.Job(
        f"{name}-bootstrap",
        metadata=body(meta),
        spec=body(_spec(args, labels, digest)),
        opts=pulumi.ResourceOptions(
            parent=parent,
            depends_on=[config, *waits],
            delete_before_replace=True,  # one name: the finished Job goes before its successor runs
            custom_timeouts=pulumi.CustomTimeouts(create=wait, update=wait),
        ),
    )


def _spec(args: BootstrapArgs, labels: dict[str, str], digest: str) -> dict[str, Any]:
    steps = args.steps
    # Every wait has its own limit in the script; the deadline only bounds the sum (retries included).
    return {
        "backoffLimit": 2,
        "activeDeadlineSeconds": steps.deadline_seconds,
        "template": {
            "metadata": {"labels": labels, "annotations": {"inferadb.io/bootstrap-digest": digest}},
            "spec": {
                "restartPolicy": "Never",
                "automountServiceAccountToken": False,
                "securityContext": pod_security(),
                "containers": [
                    {
                        "name": "bootstrap",
                        "image": args.image,
                        "command": ["/bin/sh", f"{MOUNT}/bootstrap.sh"],
                        "resources": {
                            "requests": {"cpu": "20m", "memory": "32Mi"},
                            "limits": {"cpu": "200m", "memory": "64Mi"},
                        },
                        "securityContext": container_security(),
                        "volumeMounts": [{"name": "bootstrap", "mountPath": MOUNT, "readOnly": True}],
                    }
                ],
                "volumes": [{"name": "bootstrap", "configMap": {"name": BOOTSTRAP}}],
            },
        },
    }
