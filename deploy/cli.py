"""`python -m deploy [--preview | --destroy] [--topology PATH] [--state-bucket NAME] [--restart]` (`make deploy`).

Preflight, then every stack in priority order with the policy pack (pulumi up, or preview with
--preview), then verify. Progress lines per step, a closing summary, and the exit codes of the other
commands: 0 all well, 1 a finding (preflight, a stack or verify failed), 2 bad input (or no Pulumi
CLI), 3 a bug. A re-run goes on from the first stack the last run did not finish.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from deploy.destroy import destroy, refused
from deploy.engine import AutomationEngine, NoPulumiCliError, StackEngine
from deploy.progress import Progress
from deploy.run import deploy
from deploy.tailnet import first_run_pause
from inferadb.facts.exit_codes import BAD_INPUT
from inferadb.facts.names import backend_url, secrets_provider_url
from inferadb.model.connectivity import TailscaleConnectivity
from inferadb.model.topology import TopologyError, load_topology

PROJECT_DIR = Path(__file__).resolve().parent.parent


def main(argv: list[str], engine: StackEngine | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deploy", description=__doc__.split("\n\n")[0])
    parser.add_argument("--preview", action="store_true", help="previews instead of updates; no verify")
    parser.add_argument("--topology", type=Path, default=PROJECT_DIR / "topology.yaml")
    parser.add_argument(
        "--state-bucket",
        metavar="NAME",
        help="the state backend: created if missing (preflight bootstrap-state), logged in to, stacks created in it",
    )
    parser.add_argument("--restart", action="store_true", help="forget where the last run stopped")
    parser.add_argument(
        "--destroy", action="store_true", help="tear a dev estate down, stacks in reverse priority order"
    )
    args = parser.parse_args(argv)
    try:
        topology = load_topology(args.topology)
    except TopologyError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return BAD_INPUT
    reason = refused(topology.environment) if args.destroy else None
    if reason is not None:  # before the engine: no Pulumi CLI is needed to be told no
        print(f"error: {reason}", file=sys.stderr)
        return BAD_INPUT
    primary = topology.primary.id
    backend = backend_url(args.state_bucket, primary) if args.state_bucket else None
    if engine is None:
        secrets = secrets_provider_url(primary) if args.state_bucket else None
        try:
            engine = AutomationEngine(PROJECT_DIR, PROJECT_DIR / "policies", backend, secrets)
        except NoPulumiCliError:
            print(
                "error: make deploy runs the Pulumi CLI, which is not on the PATH "
                "(https://www.pulumi.com/docs/install/); `make plan` needs none",
                file=sys.stderr,
            )
            return BAD_INPUT
    progress = Progress(PROJECT_DIR / "build" / "deploy-progress.json", topology.digest())
    stacks = [r.id for r in topology.ordered_regions()]
    if args.destroy:
        progress.clear()  # whatever a deploy had finished is gone
        return destroy(stacks, topology.environment, engine, sys.stdout)
    if args.restart:
        progress.clear()
    preflight = [sys.executable, "-m", "preflight", "--all", "--topology", str(args.topology)]
    preflight += ["--state-bucket", args.state_bucket] if args.state_bucket else []
    verify = [sys.executable, "-m", "deploy.verify", "--topology", str(args.topology)]
    # verify reads the stacks' outputs from the backend the stacks were just written to, not the
    # CLI's current login (the Pulumi CLI takes PULUMI_BACKEND_URL over it).
    verify_env = {**os.environ, "PULUMI_BACKEND_URL": backend} if backend else None
    before: list[tuple[str, Callable[[], int]]] = []
    if args.state_bucket and not args.preview:
        state = [sys.executable, "-m", "preflight", "bootstrap-state", "--bucket", args.state_bucket]
        state += ["--region", primary, "--topology", str(args.topology)]
        before.append(("state backend (preflight bootstrap-state)", lambda: _run(state)))
    tailscale = isinstance(topology.connectivity, TailscaleConnectivity)
    return deploy(
        stacks,
        engine,
        preview=args.preview,
        preflight=lambda: _run(preflight),
        verify=lambda: _run(verify, verify_env),
        progress=progress,
        out=sys.stdout,
        pause=lambda stack: first_run_pause(PROJECT_DIR, primary, stacks[1:], stack) if tailscale else None,
        before=before,
    )


def _run(command: list[str], env: dict[str, str] | None = None) -> int:
    """A tool of this project in its own process, its lines passed through."""
    sys.stdout.flush()
    return subprocess.run(command, cwd=PROJECT_DIR, env=env, check=False).returncode  # noqa: S603 - our own tools
