"""Where the last `make deploy` stopped: the stacks it finished for this topology, so a re-run goes
on from the first one it did not (a changed topology starts over)."""

from __future__ import annotations

import json
from pathlib import Path


class Progress:
    def __init__(self, path: Path, digest: str) -> None:
        self.path, self.digest = path, digest
        try:
            saved = json.loads(path.read_text())
        except (OSError, ValueError):
            saved = {}
        self.done: list[str] = list(saved.get("done", [])) if saved.get("digest") == digest else []

    def finished(self, stack: str) -> bool:
        return stack in self.done

    def mark(self, stack: str) -> None:
        if stack not in self.done:
            self.done.append(stack)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(json.dumps({"digest": self.digest, "done": self.done}, indent=1) + "\n")

    def clear(self) -> None:
        self.done = []
        self.path.unlink(missing_ok=True)
