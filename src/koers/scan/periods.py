"""The fixed flow periods that viewers outside HR may choose: calendar years and quarters.

Free dates let anyone who sees the scan move a period one day at a time and
watch promotions and leavers appear one by one; fixed periods that tile the
calendar do not (docs/privacy.md, "Gender Scan across snapshots and periods").
A period ``(start, end)`` follows :func:`koers.stats.flows.compute_flows`:
headcount on ``start`` (the last day of the previous period) and on ``end``;
hires and promotions after ``start`` up to ``end``; leavers from ``start``.
Consecutive periods therefore share a date and count every move once.
Pure (no Django).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

YEARS_OFFERED = 2


@dataclass(frozen=True)
class Period:
    code: str  # "2025" or "2025-Q2": stable, used in URLs
    start: dt.date  # the last day before the period
    end: dt.date  # the last day of the period
    quarters: tuple[str, ...] = ()  # the codes of the quarters a year consists of

    @property
    def is_year(self) -> bool:
        return bool(self.quarters)

    @property
    def first_day(self) -> dt.date:
        return self.start + dt.timedelta(days=1)

    def label(self, lang: str = "nl") -> str:
        if self.is_year:
            return self.code
        year, quarter = self.code.split("-Q")
        return f"{year} K{quarter}" if (lang or "nl")[:2] == "nl" else f"{year} Q{quarter}"


def _quarter_end(year: int, quarter: int) -> dt.date:
    if quarter == 4:
        return dt.date(year, 12, 31)
    return dt.date(year, 3 * quarter + 1, 1) - dt.timedelta(days=1)


def fixed_periods(reference_date: dt.date) -> list[Period]:
    """The last two complete calendar years and every complete quarter since the first.

    Newest first. A period is complete when it ends on or before the reference
    date (the snapshot knows nothing later).
    """
    last_year = (
        reference_date.year
        if reference_date >= dt.date(reference_date.year, 12, 31)
        else (reference_date.year - 1)
    )
    first_year = last_year - YEARS_OFFERED + 1
    quarters: list[Period] = []
    for year in range(first_year, reference_date.year + 1):
        for quarter in range(1, 5):
            end = _quarter_end(year, quarter)
            if end > reference_date:
                break
            start = _quarter_end(year, quarter - 1) if quarter > 1 else dt.date(year - 1, 12, 31)
            quarters.append(Period(f"{year}-Q{quarter}", start, end))
    years = [
        Period(
            str(year),
            dt.date(year - 1, 12, 31),
            dt.date(year, 12, 31),
            tuple(f"{year}-Q{q}" for q in range(1, 5)),
        )
        for year in range(first_year, last_year + 1)
    ]
    return sorted(years + quarters, key=lambda p: (p.end, p.is_year), reverse=True)


def default_fixed_period(reference_date: dt.date) -> Period:
    """The most recent complete calendar year."""
    return next(p for p in fixed_periods(reference_date) if p.is_year)


def find_period(reference_date: dt.date, code: str | None) -> Period | None:
    return next((p for p in fixed_periods(reference_date) if p.code == code), None)
