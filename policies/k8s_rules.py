"""Kubernetes rules: pinned images, Pod Security `restricted`, resources, probes, Ledger safety."""

from __future__ import annotations

import ipaddress
import re
from typing import Any

from pulumi_policy import EnforcementLevel, ResourceValidationArgs

from inferadb.facts.names import NAMESPACE
from policies.support import Report, containers, is_ledger, name_of, namespace_of, pod_spec, restricted_workload, rule

CLUSTER_SCOPED = {
    "Namespace",
    "StorageClass",
    "ClusterRole",
    "ClusterRoleBinding",
    "CustomResourceDefinition",
    "PersistentVolume",
    "PriorityClass",
}
PROXY_VARIABLES = {"ALL_PROXY", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "http_proxy", "https_proxy"}
_TAG = re.compile(r":[\w][\w.-]*$")
_DIGEST = re.compile(r"@sha256:[0-9a-f]{64}$")


def images_tagged(args: ResourceValidationArgs, report: Report) -> None:
    for c in containers(pod_spec(args) or {}):
        image = str(c.get("image", ""))
        if not (_TAG.search(image.rsplit("/", 1)[-1]) or _DIGEST.search(image)) or image.endswith(":latest"):
            report(f"container {c.get('name')} image '{image}' is not pinned to a version", None)


def images_by_digest(args: ResourceValidationArgs, report: Report) -> None:
    for c in containers(pod_spec(args) or {}):
        if not _DIGEST.search(str(c.get("image", ""))):
            report(f"container {c.get('name')} image is pinned by tag, not digest (tags can move)", None)


def restricted_pods(args: ResourceValidationArgs, report: Report) -> None:
    pod = restricted_workload(args)
    if pod is None:
        return
    pod_security = pod.get("securityContext") or {}
    for host in ("hostNetwork", "hostPID", "hostIPC"):
        if pod.get(host):
            report(f"pod uses {host}", None)
    if any("hostPath" in v for v in pod.get("volumes") or []):
        report("pod mounts a hostPath volume", None)
    for c in containers(pod):
        security = c.get("securityContext") or {}
        name = c.get("name")
        if security.get("privileged"):
            report(f"container {name} is privileged", None)
        if security.get("allowPrivilegeEscalation") is not False:
            report(f"container {name} allows privilege escalation", None)
        if "ALL" not in ((security.get("capabilities") or {}).get("drop") or []):
            report(f"container {name} does not drop ALL capabilities", None)
        if not (security.get("runAsNonRoot") or pod_security.get("runAsNonRoot")):
            report(f"container {name} may run as root", None)
        if security.get("runAsUser", pod_security.get("runAsUser")) == 0:
            report(f"container {name} runs as UID 0", None)
        seccomp = (security.get("seccompProfile") or pod_security.get("seccompProfile") or {}).get("type")
        if seccomp not in ("RuntimeDefault", "Localhost"):
            report(f"container {name} has no RuntimeDefault seccomp profile", None)


def resources_set(args: ResourceValidationArgs, report: Report) -> None:
    for c in containers(pod_spec(args) or {}):
        resources = c.get("resources") or {}
        for kind in ("requests", "limits"):
            missing = {"cpu", "memory"} - set(resources.get(kind) or {})
            if missing:
                report(f"container {c.get('name')} has no {kind} for {', '.join(sorted(missing))}", None)


def probes_present(args: ResourceValidationArgs, report: Report) -> None:
    # Every long-running pod, privileged namespaces included (the storage DaemonSet and controller).
    pod = pod_spec(args)
    if pod is None or args.resource_type == "kubernetes:batch/v1:Job":
        return
    for c in pod.get("containers") or []:
        for probe in ("readinessProbe", "livenessProbe"):
            if not c.get(probe):
                report(f"container {c.get('name')} has no {probe}", None)
        if c.get("readinessProbe") and c.get("readinessProbe") == c.get("livenessProbe"):
            report(f"container {c.get('name')} uses the same probe for readiness and liveness", None)


def ledger_replicas_odd(args: ResourceValidationArgs, report: Report) -> None:
    if is_ledger(args):
        replicas = int((args.props.get("spec") or {}).get("replicas", 1))
        labels = (args.props.get("metadata") or {}).get("labels") or {}
        single_allowed = (
            labels.get("inferadb.io/environment") == "dev" or labels.get("inferadb.io/region-role") == "witness"
        )
        if replicas % 2 == 0:
            report(f"Ledger runs {replicas} replicas; an even Raft membership adds no fault tolerance", None)
        if replicas == 1 and not single_allowed:
            report("a single Ledger replica is for dev (or a witness region) only", None)


def ledger_placement(args: ResourceValidationArgs, report: Report) -> None:
    if not is_ledger(args):
        return
    pod = pod_spec(args) or {}
    anti = ((pod.get("affinity") or {}).get("podAntiAffinity") or {}).get(
        "requiredDuringSchedulingIgnoredDuringExecution"
    ) or []
    if not any(term.get("topologyKey") == "kubernetes.io/hostname" for term in anti):
        report("Ledger pods may share a node (no required anti-affinity on kubernetes.io/hostname)", None)
    spread = pod.get("topologySpreadConstraints") or []
    if not any(
        s.get("topologyKey") == "topology.kubernetes.io/zone" and s.get("whenUnsatisfiable") == "DoNotSchedule"
        for s in spread
    ):
        report("Ledger pods are not spread over zones (topologySpreadConstraints on topology.kubernetes.io/zone)", None)


def ledger_join_literals(args: ResourceValidationArgs, report: Report) -> None:
    """Ledger keeps only IP:port seeds (inferadb/ledger 53c2112, `discovery.rs` `parse_seed_addresses`)
    and ignores proxy variables: a host-name seed is dropped, a proxy setting does nothing."""
    if not is_ledger(args):
        return
    for container in containers(pod_spec(args) or {}):
        for variable in container.get("env") or []:
            name, value = variable.get("name"), str(variable.get("value") or "")
            if name == "INFERADB__LEDGER__JOIN":
                for seed in filter(None, value.split(",")):
                    host, _, port = seed.rpartition(":")
                    try:
                        ipaddress.ip_address(host.strip("[]"))
                    except ValueError:
                        report(f"JOIN seed {seed} is not an IP:port literal; Ledger drops it", None)
                        continue
                    if not port.isdigit():
                        report(f"JOIN seed {seed} has no port", None)
            elif name in PROXY_VARIABLES:
                report(f"{name} is set on Ledger, whose peer connections read no proxy variable", None)


def namespace_restricted(args: ResourceValidationArgs, report: Report) -> None:
    if args.resource_type == "kubernetes:core/v1:Namespace" and name_of(dict(args.props)) == NAMESPACE:
        labels = (args.props.get("metadata") or {}).get("labels") or {}
        if labels.get("pod-security.kubernetes.io/enforce") != "restricted":
            report("namespace inferadb does not enforce Pod Security 'restricted'", None)


def not_in_default(args: ResourceValidationArgs, report: Report) -> None:
    props: dict[str, Any] = dict(args.props)
    kind = props.get("kind")
    namespaced = args.resource_type.startswith("kubernetes:") and kind and kind not in CLUSTER_SCOPED
    if namespaced and namespace_of(props) in ("", "default"):
        report(f"{kind} {name_of(props)} would land in the default namespace", None)


POLICIES = [
    rule(
        "k8s-image-pinned",
        "Container images are pinned to a version, never `latest`",
        "Pin a tag or digest in topology.yaml images.",
        images_tagged,
    ),
    rule(
        "k8s-image-digest",
        "Container images are pinned by digest",
        "Pin image@sha256:<digest>.",
        images_by_digest,
        EnforcementLevel.ADVISORY,
    ),
    rule(
        "k8s-pod-restricted",
        "Pods meet Pod Security Standards `restricted` (except the privileged storage agent)",
        "non-root, no privilege escalation, drop ALL, RuntimeDefault seccomp, no host namespaces.",
        restricted_pods,
    ),
    rule(
        "k8s-resources-set",
        "Every container has CPU and memory requests and limits",
        "Set resources.requests and resources.limits.",
        resources_set,
    ),
    rule(
        "k8s-probes",
        "Every long-running container has readiness and liveness probes, and they differ",
        "Add readinessProbe and livenessProbe.",
        probes_present,
    ),
    rule(
        "ledger-replicas-odd",
        "Ledger runs an odd number of replicas (1 only in dev or a witness region)",
        "Use ledger.redundancy double (3) or triple (5).",
        ledger_replicas_odd,
    ),
    rule(
        "ledger-spread",
        "Ledger pods never share a node and spread over zones",
        "Required pod anti-affinity on kubernetes.io/hostname and a zone topology spread.",
        ledger_placement,
    ),
    rule(
        "ledger-join-literals",
        "Ledger's JOIN seeds are IP:port literals and no proxy variable is set on it",
        "Seed with the Ledger endpoints' addresses (docs/adr/0004-ledger-endpoints.md); route, do not proxy.",
        ledger_join_literals,
    ),
    rule(
        "k8s-ns-pss-restricted",
        "The inferadb namespace enforces Pod Security `restricted`",
        "Label it pod-security.kubernetes.io/enforce=restricted.",
        namespace_restricted,
    ),
    rule(
        "k8s-no-default-namespace",
        "Nothing is deployed into the default namespace",
        "Set metadata.namespace.",
        not_in_default,
    ),
]
