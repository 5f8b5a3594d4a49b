"""The shipped topology's diagrams for docs/architecture.md, from a fresh offline plan of it."""

from __future__ import annotations

import contextlib
import io
import tempfile
from pathlib import Path

from synth import cli
from synth.diagrams import DIAGRAMS_HEADER


def render() -> str:
    with tempfile.TemporaryDirectory() as tmp:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()) as errors:
            code = cli.main(["--all", "--out", tmp])
        if code not in (0, 1):
            raise RuntimeError(f"the offline plan of the shipped topology failed: {errors.getvalue()}")
        return (Path(tmp) / "topology.md").read_text().removeprefix(DIAGRAMS_HEADER)
