"""One line per check: PASS, WARN (could not tell, or worth a look) or FAIL (the deploy would fail)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Status = Literal["PASS", "WARN", "FAIL"]


@dataclass(frozen=True)
class Result:
    status: Status
    check: str
    message: str

    def line(self) -> str:
        return f"{self.status:<4} {self.check}: {self.message}"


def passed(check: str, message: str) -> Result:
    return Result("PASS", check, message)


def warned(check: str, message: str) -> Result:
    return Result("WARN", check, message)


def failed(check: str, message: str) -> Result:
    return Result("FAIL", check, message)
