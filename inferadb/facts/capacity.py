"""What a node of each EC2 instance type can give pods, and what runs on every node before them.

`data/instance_capacity.json` is taken from aws/karpenter-provider-aws at 1d92708
(`website/content/en/docs/reference/instance-types.md`, generated from the EC2 API): vCPUs, memory,
and the allocatable CPU, memory and pod count. Its allocatable values use the formulas of the EKS
AL2023 node bootstrap (awslabs/amazon-eks-ami 81fec2e, `nodeadm/internal/kubelet/config.go`):
kube-reserved CPU 6 % of the first core, 1 % of the second, 0.5 % of cores 3-4, 0.25 % above;
kube-reserved memory 11 MiB x max pods + 255 MiB with max pods = ENIs x (IPv4 per ENI - 1) + 2
(`eni_max_pods.go`); eviction at 100 MiB free. Karpenter also assumes the hypervisor keeps 7.5 % of
the nominal memory: an estimate, so a request that fits with less than a few percent to spare may
still not fit a real node.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

_DATA = Path(__file__).resolve().parent / "data" / "instance_capacity.json"

PER_NODE_CPU_M = 25 + 100
"""DaemonSets on every node: aws-node (25m: `resources.requests.cpu` in aws/amazon-vpc-cni-k8s
`charts/aws-vpc-cni/values.yaml` at 10e9f18) and kube-proxy (100m, the request the EKS add-on's
DaemonSet is known to carry; not re-read from a source this round). The pod identity agent sets no request."""
PROVISIONER_REQUESTS = {"cpu": "10m", "memory": "32Mi"}
"""The local static provisioner's DaemonSet on every Ledger node."""
COREDNS_REQUESTS = {"cpu": "100m", "memory": "70Mi"}
"""One CoreDNS replica (the EKS add-on's requests as known, not re-read from a source this round): it
shares the Ledger nodes of a region without a general pool."""


@dataclass(frozen=True)
class NodeCapacity:
    instance_type: str
    vcpus: int
    memory_mib: int
    allocatable_cpu_m: int
    allocatable_memory_mib: int


@cache
def _table() -> dict[str, list[int]]:
    types: dict[str, list[int]] = json.loads(_DATA.read_text())["types"]
    return types


def node_capacity(instance_type: str) -> NodeCapacity | None:
    """The capacity of one node of `instance_type`, or None when the table does not know the type."""
    row = _table().get(instance_type)
    if row is None:
        return None
    vcpus, memory, cpu, allocatable_memory, _pods = row
    return NodeCapacity(instance_type, vcpus, memory, cpu, allocatable_memory)


def cpu_millicores(quantity: str) -> int:
    """`2`, `1.5`, `500m` -> millicores."""
    if quantity.endswith("m"):
        return int(quantity[:-1])
    return round(float(quantity) * 1000)


def memory_mib(quantity: str) -> int:
    """`8Gi`, `512Mi` -> MiB."""
    match = re.fullmatch(r"([0-9]+)(Mi|Gi)", quantity)
    if match is None:
        raise ValueError(f"{quantity!r} is not a memory quantity in Mi or Gi")
    return int(match[1]) * (1024 if match[2] == "Gi" else 1)
