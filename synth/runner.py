"""Run the real Pulumi program for one stack, offline, in a fresh interpreter (see evaluate.py)."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
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
        job_path, result_path = Path(scratch, "job.json"), Path(scratch, "result.json")
        job_path.write_text(json.dumps(job))
        proc = subprocess.run(
            [sys.executable, "-m", "synth.evaluate", str(job_path), str(result_path)],
            cwd=PROJECT_DIR,
            capture_output=True,
            text=True,
            check=False,
        )
        if not result_path.exists():
            return {"status": "error", "message": proc.stderr or f"evaluator exited {proc.returncode}"}
        result: dict[str, Any] = json.loads(result_path.read_text())
        return result
