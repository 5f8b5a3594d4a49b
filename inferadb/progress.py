"""Progress for long runs: one updating line on a terminal, plain lines otherwise (CI logs).

Written to stderr, so the results on stdout stay the same whatever the terminal.
"""

from __future__ import annotations

import sys
from typing import TextIO


def status(line: str, stream: TextIO | None = None) -> None:
    """Show `line`: rewritten in place on a terminal, a plain line otherwise."""
    out = stream if stream is not None else sys.stderr
    out.write(f"\r\x1b[2K{line}" if out.isatty() else f"{line}\n")
    out.flush()


def clear(stream: TextIO | None = None) -> None:
    out = stream if stream is not None else sys.stderr
    if out.isatty():
        out.write("\r\x1b[2K")
        out.flush()


class Progress:
    def __init__(self, total: int, what: str, stream: TextIO | None = None) -> None:
        self.total, self.what, self.done = total, what, 0
        self.stream = stream if stream is not None else sys.stderr

    def step(self, label: str) -> None:
        self.done += 1
        status(f"[{self.done}/{self.total}] {self.what}: {label}", self.stream)

    def finish(self) -> None:
        clear(self.stream)
