"""What every command of this project means by its exit code, and the one guard that keeps it so.

0 success; 1 a finding (a mandatory policy violated, a preflight check failed); 2 bad input (the
topology, a stack file, earlier-stack exports, arguments, an unreadable file); 3 an internal error
(any uncaught exception: a bug, reported with its traceback). CI reads 1 as "fix the deployment" and
3 as "fix the tool", so a crash must never look like a finding.
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable, Sequence

OK, FINDING, BAD_INPUT, INTERNAL = 0, 1, 2, 3


def guarded(main: Callable[[list[str]], int], argv: Sequence[str]) -> int:
    """Run a command's `main`; an exception that escapes it is an internal error (exit 3)."""
    try:
        return main(list(argv))
    except SystemExit as exc:  # argparse: --help (0) and usage errors (2)
        return exc.code if isinstance(exc.code, int) else BAD_INPUT
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return INTERNAL
    except Exception:
        traceback.print_exc()
        print("internal error (exit 3): this is a bug in the tool, not in your input", file=sys.stderr)
        return INTERNAL
