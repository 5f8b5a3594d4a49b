"""What one stack evaluates: its topology region, chosen by stack name, checked against config.

This is the only module that reads Pulumi config; components get typed arguments from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pulumi

from inferadb.model.regions import Region
from inferadb.model.topology import Topology, TopologyError, load_topology
from inferadb.stack.files import TOPOLOGY_KEY, StackConfigError, policy_base

DEFAULT_TOPOLOGY = "topology.yaml"


@dataclass(frozen=True)
class StackSettings:
    topology: Topology
    region: Region
    policy_base: dict[str, Any] | None = None
    """The operator's tailnet policy to merge into (`connectivity.policy_base`), read from its file."""


def load_stack_settings() -> StackSettings:
    """Load and validate everything before a single resource is declared (errors: RunError)."""
    stack = pulumi.get_stack()
    path = pulumi.Config("inferadb").get(TOPOLOGY_KEY) or DEFAULT_TOPOLOGY
    try:
        topology = load_topology(path)
    except TopologyError as exc:
        raise pulumi.RunError(str(exc)) from exc
    if stack not in topology.regions:
        known = ", ".join(r.id for r in topology.ordered_regions())
        raise pulumi.RunError(
            f"stack '{stack}' has no region in {path}; a stack is named after its AWS region "
            f"({known}): add regions.{stack} to the topology or select one of those stacks"
        )
    configured = pulumi.Config("aws").get("region")
    if configured != stack:
        raise pulumi.RunError(
            f"Pulumi.{stack}.yaml: aws:region is '{configured}' but the stack is '{stack}'; "
            f"run `pulumi config set aws:region {stack} --stack {stack}`"
        )
    try:
        base = policy_base(topology, Path(path))
    except StackConfigError as exc:
        raise pulumi.RunError(str(exc)) from exc
    return StackSettings(topology, topology.regions[stack], base)
