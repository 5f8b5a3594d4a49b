"""When each Kubernetes minor version is supported on EKS, and the add-on versions pinned for it.

Calendar: the "Amazon EKS Kubernetes release calendar" table of the EKS user guide
(awsdocs/amazon-eks-user-guide `latest/ug/versioning/kubernetes-versions.adoc` at 0138560, 1.29-1.34;
1.35's dates from endoflife.date/amazon-eks, which match the guide's rule of 14 months of standard
support after the EKS release). Standard support ends at the start of the listed day, UTC; extended
support is billed per cluster-hour after it (docs/deploying.md, "Kubernetes versions").
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass


@dataclass(frozen=True)
class EksVersion:
    version: str
    released: datetime.date
    end_of_standard: datetime.date
    end_of_extended: datetime.date

    def support(self, today: datetime.date) -> str:
        """`standard`, `extended` or `ended` on `today`."""
        if today < self.end_of_standard:
            return "standard"
        return "extended" if today < self.end_of_extended else "ended"


def _v(version: str, released: str, standard: str, extended: str) -> EksVersion:
    d = datetime.date.fromisoformat
    return EksVersion(version, d(released), d(standard), d(extended))


CALENDAR: dict[str, EksVersion] = {
    v.version: v
    for v in (
        _v("1.29", "2024-01-23", "2025-03-23", "2026-03-23"),
        _v("1.30", "2024-05-23", "2025-07-23", "2026-07-23"),
        _v("1.31", "2024-09-26", "2025-11-26", "2026-11-26"),
        _v("1.32", "2025-01-23", "2026-03-23", "2027-03-23"),
        _v("1.33", "2025-05-29", "2026-07-29", "2027-07-29"),
        _v("1.34", "2025-10-02", "2026-12-02", "2027-12-02"),
        _v("1.35", "2026-01-28", "2027-03-27", "2028-03-27"),
    )
}


def today() -> datetime.date:
    """The date support status is judged on (UTC)."""
    return datetime.datetime.now(datetime.UTC).date()
