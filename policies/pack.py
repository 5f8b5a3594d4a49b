"""Every rule of the pack, in one list (the CLI's pack, the offline checker and synth share it)."""

from __future__ import annotations

from pulumi_policy import Policy

from policies import aws_rules, k8s_rules, stack_rules, tailscale_rules

PACK_NAME = "inferadb-deployment"
POLICIES: list[Policy] = [
    *aws_rules.POLICIES,
    *k8s_rules.POLICIES,
    *tailscale_rules.POLICIES,
    *stack_rules.POLICIES,
]
