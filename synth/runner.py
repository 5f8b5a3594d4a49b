"""Run the real Pulumi program for one stack, offline, in a fresh interpreter (see evaluate.py)."""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

PROJECT_DIR = Path(__file__).resolve().parent.parent


def run_stack(
    stack: str,
    project: str,
    config: dict[str, str],
    secret_keys: list[str],
    stack_outputs: dict[str, dict[str, Any]],
    program: str = "__main__.py",
) -> dict[str, Any]:
    """Evaluate one stack in a fresh interpreter (the SDK's runtime state is process-wide)."""
    job = {
        "stack": stack,
        "region": stack,
        "project": project,
        "program_dir": str(PROJECT_DIR),
        "program": program,
        "config": config,
        "secret_keys": secret_keys,
        "stack_outputs": stack_outputs,
    }
    with tempfile.TemporaryDirectory(prefix="synth-") as scratch:
        job_path, result_path, log_path = (Path(scratch, name) for name in ("job.json", "result.json", "log"))
        job_path.write_text(json.dumps(job))
        code = _ZYGOTE.run(job_path, result_path, log_path)
        if not result_path.exists():
            log = log_path.read_text() if log_path.exists() else ""
            return {"status": "error", "message": log or f"evaluator exited {code}"}
        result: dict[str, Any] = json.loads(result_path.read_text())
        return result


class _Zygote:
    """One warm evaluator process (synth/zygote.py) per process that evaluates stacks; started on first use."""

    def __init__(self, env: Mapping[str, str] | None = None) -> None:
        self._process: subprocess.Popen[str] | None = None
        self._env = None if env is None else {**os.environ, **env}

    def run(self, job_path: Path, result_path: Path, log_path: Path) -> int:
        process = self._started()
        if process.stdin is None or process.stdout is None:  # Popen with PIPE always sets both
            raise RuntimeError("the warm evaluator has no pipes")
        process.stdin.write(f"{job_path}\t{result_path}\t{log_path}\n")
        process.stdin.flush()
        answer = process.stdout.readline()
        if not answer:  # the zygote itself died (it should not): start a new one next time
            self._discard()
            return EXIT_ZYGOTE_LOST
        return int(answer)

    def start(self) -> None:
        self._started()

    def _started(self) -> subprocess.Popen[str]:
        if self._process is not None and self._process.poll() is not None:
            self._discard()
        if self._process is None:
            self._process = subprocess.Popen(
                [sys.executable, "-m", "synth.zygote"],
                cwd=PROJECT_DIR,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
                env=self._env,
            )
        return self._process

    def close(self) -> None:
        """End the zygote (it leaves when its input ends) and release both pipes."""
        self._discard()

    def _discard(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        for pipe in (process.stdin, process.stdout):
            if pipe is not None:
                with contextlib.suppress(OSError):
                    pipe.close()
        process.wait(timeout=30)


EXIT_ZYGOTE_LOST = -1
_ZYGOTE = _Zygote()
# The process that started the zygote ends it, pipes included, whichever zygote is current then.
atexit.register(lambda: _ZYGOTE.close())


@contextlib.contextmanager
def separate_evaluator(env: Mapping[str, str]) -> Iterator[None]:
    """Evaluate stacks in a new warm evaluator with `env` (e.g. another PYTHONHASHSEED) for a while."""
    global _ZYGOTE
    previous, _ZYGOTE = _ZYGOTE, _Zygote(env)
    try:
        yield
    finally:
        _ZYGOTE.close()
        _ZYGOTE = previous


def warm_up() -> None:
    """Start the warm evaluator now, so its imports overlap other work (it serves the next stack)."""
    _ZYGOTE.start()
