"""A program whose process dies mid-evaluation (as an out-of-memory kill would end it)."""

import os
import signal

os.kill(os.getpid(), signal.SIGKILL)
