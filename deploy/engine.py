"""How `deploy` runs one stack: a seam (`StackEngine`) with the Pulumi Automation API behind it.

The Automation API's LocalWorkspace runs the `pulumi` binary of the PATH (and checks its version)
as soon as it is built, so `AutomationEngine()` fails at once without the CLI; tests drive `deploy`
through an engine they inject instead (tests/e2e/test_deploy.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol


@dataclass(frozen=True)
class StackOutcome:
    ok: bool
    summary: str
    """One line: what changed (`3 created, 1 updated`) or why it failed."""
    outputs: dict[str, Any] = field(default_factory=dict)
    """The stack's outputs after an update (secrets in clear: never printed)."""


class StackEngine(Protocol):
    def run(self, stack: str, preview: bool, echo: Callable[[str], None]) -> StackOutcome: ...

    def outputs(self, stack: str) -> dict[str, Any]: ...

    def destroy(self, stack: str, echo: Callable[[str], None]) -> StackOutcome: ...


class NoPulumiCliError(Exception):
    """The Pulumi CLI is not on the PATH (or too old for the Automation API)."""


class AutomationEngine:
    """Each stack of this project through `pulumi.automation`, with the policy pack on every run."""

    def __init__(
        self, project_dir: Path, policy_pack: Path, backend: str | None = None, secrets_provider: str | None = None
    ) -> None:
        """`backend` (a `pulumi login` URL) and `secrets_provider`: with both, each stack is created in
        that backend with that secrets provider when it does not exist yet (as `pulumi stack init
        --secrets-provider` does); without, the CLI's current login and the existing stacks are used."""
        from pulumi import automation as auto  # the SDK's import is heavy; only `deploy` pays for it

        try:
            self._command = auto.PulumiCommand()
        except (FileNotFoundError, auto.errors.InvalidVersionError) as exc:
            raise NoPulumiCliError(str(exc)) from exc
        self._auto = auto
        self._project_dir = str(project_dir)
        self._policy_pack = str(policy_pack)
        self._backend = backend
        self._secrets_provider = secrets_provider

    def _stack(self, stack: str) -> Any:
        if self._backend is None:
            options = self._auto.LocalWorkspaceOptions(work_dir=self._project_dir, pulumi_command=self._command)
            return self._auto.select_stack(stack_name=stack, work_dir=self._project_dir, opts=options)
        options = self._auto.LocalWorkspaceOptions(
            work_dir=self._project_dir,
            pulumi_command=self._command,
            env_vars={"PULUMI_BACKEND_URL": self._backend},
            secrets_provider=self._secrets_provider,
        )
        return self._auto.create_or_select_stack(stack_name=stack, work_dir=self._project_dir, opts=options)

    def run(self, stack: str, preview: bool, echo: Callable[[str], None]) -> StackOutcome:
        try:
            selected = self._stack(stack)
            if preview:
                result = selected.preview(on_output=echo, policy_packs=[self._policy_pack])
                return StackOutcome(True, _changes(result.change_summary))
            up = selected.up(on_output=echo, policy_packs=[self._policy_pack])
            changes = up.summary.resource_changes or {}
            return StackOutcome(True, _changes(changes), {k: v.value for k, v in up.outputs.items()})
        except self._auto.errors.CommandError as exc:
            return StackOutcome(False, str(exc).strip().splitlines()[-1] if str(exc).strip() else "pulumi failed")

    def outputs(self, stack: str) -> dict[str, Any]:
        return {k: v.value for k, v in self._stack(stack).outputs().items()}

    def destroy(self, stack: str, echo: Callable[[str], None]) -> StackOutcome:
        """`pulumi destroy` of one stack (a protected resource makes it fail, as the CLI does)."""
        try:
            result = self._stack(stack).destroy(on_output=echo)
            return StackOutcome(True, _changes(result.summary.resource_changes or {}))
        except self._auto.errors.CommandError as exc:
            return StackOutcome(False, str(exc).strip().splitlines()[-1] if str(exc).strip() else "pulumi failed")


def _changes(summary: Any) -> str:
    counts = {str(k): int(v) for k, v in (summary or {}).items() if int(v) and str(k) != "same"}
    return ", ".join(f"{n} {kind}" for kind, n in sorted(counts.items())) or "no changes"
