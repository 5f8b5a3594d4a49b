"""Evaluate one stack in this process under the recording monitor.

The SDK keeps process-wide runtime state (settings, the root Stack), so each stack runs in a fresh
process: `python -m synth.evaluate JOB.json RESULT.json`, started by synth/cli.py. A job carries the
stack's config and the exports of the stacks evaluated before it; the result carries the recording.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import resource
import runpy
import sys
import time
import traceback
from pathlib import Path
from typing import Any

import pulumi
from pulumi.runtime.mocks import MockEngine, MockSettings
from pulumi.runtime.settings import configure
from pulumi.runtime.stack import run_in_stack

from synth.mocks import SynthMocks
from synth.monitor import RecordingMonitor


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(f"{record.levelname.lower()}: {record.getMessage()}")


def evaluate(job: dict[str, Any]) -> dict[str, Any]:
    program_dir = Path(job["program_dir"]).resolve()
    mocks = SynthMocks(job["region"], job.get("stack_outputs", {}))
    monitor = RecordingMonitor(mocks)
    collector = _Collector()
    logger = logging.getLogger(f"synth.{job['stack']}")
    logger.addHandler(collector)
    logger.propagate = False
    _configure(job, monitor, logger)

    os.chdir(program_dir)  # the CLI runs the program from the project directory
    sys.path.insert(0, str(program_dir))
    started = time.perf_counter()
    status, message = "ok", ""
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        program = str(program_dir / job.get("program", "__main__.py"))
        loop.run_until_complete(run_in_stack(lambda: _run_program(program)))
    except pulumi.RunError as exc:
        status, message = "invalid", str(exc)
    except Exception:
        status, message = "error", traceback.format_exc()
    recording = monitor.recording
    return {
        "stack": job["stack"],
        "status": status,
        "message": message,
        "seconds": round(time.perf_counter() - started, 3),
        "resources": recording.resources,
        "exports": recording.exports,
        "secret_exports": recording.secret_exports,
        "warnings": collector.messages,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,  # Linux reports KiB
    }


def _run_program(path: str) -> None:
    runpy.run_path(path, run_name="__main__")


def _configure(job: dict[str, Any], monitor: RecordingMonitor, logger: logging.Logger) -> None:
    # set_mocks() would also create a root Stack; run_in_stack creates its own, as `pulumi up` does,
    # and registers the exports through RegisterResourceOutputs where the monitor records them.
    features = set(monitor.GetDeploymentInfo(None).supportedFeatures)  # type: ignore[no-untyped-call]
    configure(
        MockSettings(  # type: ignore[no-untyped-call]
            monitor=monitor,
            monitor_features=features,
            engine=MockEngine(logger),
            project=job["project"],
            stack=job["stack"],
            organization=job.get("organization", "organization"),
            dry_run=False,
            callbacks=None,
        )
    )
    pulumi.runtime.set_all_config(job["config"], job.get("secret_keys", []))


def main(argv: list[str]) -> int:
    job_path, result_path = argv
    job = json.loads(Path(job_path).read_text())
    result = evaluate(job)
    Path(result_path).write_text(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    code = main(sys.argv[1:])
    sys.stdout.flush()
    sys.stderr.flush()
    # Skip interpreter teardown: the SDK leaves per-thread event loops whose finalizers only add noise.
    os._exit(code)
