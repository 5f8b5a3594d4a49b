"""Offline evaluation of the Pulumi program: `python -m synth` (see synth/cli.py).

What other tools may use is exported here; everything else in the package is its own business.
"""

from __future__ import annotations

import contextlib
import io
import tempfile
from pathlib import Path


def shipped_diagrams() -> str:
    """The Mermaid diagrams of the shipped topology, from a fresh offline plan (the docs embed them)."""
    # Imported here: `python -m synth` itself should not pay for this helper.
    from synth.cli import main
    from synth.diagrams import DIAGRAMS_HEADER

    with tempfile.TemporaryDirectory() as tmp:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()) as errors:
            code = main(["--all", "--out", tmp])
        if code not in (0, 1):
            raise RuntimeError(f"the offline plan of the shipped topology failed: {errors.getvalue()}")
        return (Path(tmp) / "topology.md").read_text().removeprefix(DIAGRAMS_HEADER)
