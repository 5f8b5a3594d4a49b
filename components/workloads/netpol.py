"""NetworkPolicies of the `inferadb` namespace: deny by default, then exactly the paths needed.

Enforced by the VPC CNI's network policy agent (`enableNetworkPolicy` on the vpc-cni add-on).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_kubernetes as k8s

from components.shared.manifest import body
from components.shared.pods import selector_labels
from inferadb.facts.names import CONTROL, ENGINE, LEDGER_CLIENT_LABEL, PART_OF
from inferadb.facts.names import LEDGER as LEDGER_STATEFUL_SET
from inferadb.facts.ports import CONTROL_PORT, ENGINE_HTTP_PORT, LEDGER_PORT
from inferadb.facts.ports import LEDGER_METRICS_PORT as METRICS_PORT

ANY_NAMESPACE: dict[str, Any] = {"namespaceSelector": {}}


def tcp(*ports: int) -> list[dict[str, Any]]:
    return [{"protocol": "TCP", "port": port} for port in ports]


@dataclass(frozen=True)
class NetworkPolicyArgs:
    namespace: pulumi.Input[str]
    monitoring_namespace: str
    node_cidrs: tuple[str, ...]
    """This region's private subnets: a connection through a Ledger endpoint reaches the pod from a
    node's address (kube-proxy masquerades NodePort traffic)."""
    endpoint_blocks: tuple[str, ...]
    """Every region's Ledger endpoint blocks: where Ledger dials its peers (its own included)."""


class NetworkPolicies(pulumi.ComponentResource):
    def __init__(self, name: str, args: NetworkPolicyArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("inferadb:workloads:NetworkPolicies", name, None, opts)
        self._args = args
        ledger = {"podSelector": {"matchLabels": selector_labels(LEDGER_STATEFUL_SET)}}
        to_ledger = [{"to": [ledger], "ports": tcp(LEDGER_PORT)}]
        nodes = [{"ipBlock": {"cidr": cidr}} for cidr in args.node_cidrs]
        endpoints = [{"ipBlock": {"cidr": cidr}} for cidr in args.endpoint_blocks]
        scrape = {
            "from": [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": args.monitoring_namespace}}}]
        }
        self._policy(name, "default-deny", {}, ingress=[], egress=[])
        self._policy(
            name,
            "dns-egress",
            {},
            egress=[
                {
                    "to": [
                        {
                            "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "kube-system"}},
                            "podSelector": {"matchLabels": {"k8s-app": "kube-dns"}},
                        }
                    ],
                    "ports": [{"protocol": "UDP", "port": 53}, {"protocol": "TCP", "port": 53}],
                }
            ],
        )
        # Ledger's gRPC only from Ledger peers, Engine, Control and the Ledger endpoints (the bootstrap Job
        # comes through those).
        self._policy(
            name,
            "ledger",
            selector_labels(LEDGER_STATEFUL_SET),
            ingress=[
                {
                    "from": [ledger, {"podSelector": {"matchLabels": LEDGER_CLIENT_LABEL}}, *nodes],
                    "ports": tcp(LEDGER_PORT),
                },
                {**scrape, "ports": tcp(METRICS_PORT)},
            ],
            egress=[*to_ledger, {"to": endpoints, "ports": tcp(LEDGER_PORT)}],
        )
        # Engine and Control dial their region's Ledger Service, and every region's Ledger endpoints:
        # a client that follows Ledger's NotLeader answers retries at the leader's ADVERTISE address,
        # which may be in any region (ledger docs/how-to/deployment.md@53c2112:253-258).
        to_any_leader = [*to_ledger, {"to": endpoints, "ports": tcp(LEDGER_PORT)}]
        self._policy(
            name,
            "engine",
            selector_labels(ENGINE),
            ingress=[{"from": [ANY_NAMESPACE], "ports": tcp(ENGINE_HTTP_PORT)}],
            egress=to_any_leader,
        )
        # Control also from the nodes: a client-access load balancer reaches it through a NodePort, and
        # kube-proxy masquerades that traffic to the node's address.
        self._policy(
            name,
            "control",
            selector_labels(CONTROL),
            ingress=[{"from": [ANY_NAMESPACE, *nodes], "ports": tcp(CONTROL_PORT)}],
            egress=to_any_leader,
        )
        # The bootstrap Job dials its region's ordinal 0 at the load balancer literal.
        self._policy(
            name,
            "ledger-bootstrap",
            selector_labels(f"{LEDGER_STATEFUL_SET}-bootstrap"),
            egress=[{"to": endpoints, "ports": tcp(LEDGER_PORT)}],
        )
        self.register_outputs({})

    def _policy(
        self,
        name: str,
        policy: str,
        pods: dict[str, str],
        *,
        ingress: list[dict[str, Any]] | None = None,
        egress: list[dict[str, Any]] | None = None,
    ) -> None:
        spec: dict[str, Any] = {"podSelector": {"matchLabels": pods} if pods else {}, "policyTypes": []}
        if ingress is not None:
            spec["policyTypes"].append("Ingress")
            spec["ingress"] = ingress
        if egress is not None:
            spec["policyTypes"].append("Egress")
            spec["egress"] = egress
        k8s.networking.v1.NetworkPolicy(
            f"{name}-{policy}",
            metadata=body({"name": policy, "namespace": self._args.namespace, "labels": PART_OF}),
            spec=body(spec),
            opts=pulumi.ResourceOptions(parent=self),
        )
