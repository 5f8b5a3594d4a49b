"""Progress lines: rewritten in place on a terminal, plain lines in a log."""

from __future__ import annotations

import io

from inferadb.progress import Progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_log_gets_one_plain_line_per_step() -> None:
    log = io.StringIO()
    progress = Progress(2, "evaluating", log)
    progress.step("us-west-1")
    progress.step("eu-central-1")
    progress.finish()
    assert log.getvalue() == "[1/2] evaluating: us-west-1\n[2/2] evaluating: eu-central-1\n"


def test_a_terminal_gets_one_line_rewritten_and_cleared() -> None:
    tty = Terminal()
    progress = Progress(2, "evaluating", tty)
    progress.step("us-west-1")
    progress.step("eu-central-1")
    progress.finish()
    assert "\n" not in tty.getvalue()
    assert tty.getvalue().count("\r\x1b[2K") == 3  # two steps and the final clear
