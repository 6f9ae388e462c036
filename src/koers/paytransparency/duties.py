"""The Art. 9 reporting duty and the next due date, from headcount and the dates kept as data.

The legal dates live in ``data/reporting_dates.yaml`` with their source and an "as of" date,
because the Dutch implementing act is planned, not in force (its dates may still move). Pure:
no Django, so the rule is tested on its own (``tests/paytransparency/test_duties.py``).

Rule (Directive 2023/970, Art. 9(2)-(4)): 250 or more workers report every year, 150-249 and
100-149 every three years; fewer than 100 have no duty (they may report voluntarily, Art. 9(5)).
The report over calendar year Y is due on 7 June of Y + 1; the first reference year of each band
comes from the data (2027 for 150+, 2031 for 100-149 under the planned Dutch act).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

DATA = Path(__file__).parent / "data" / "reporting_dates.yaml"


@dataclass(frozen=True)
class Band:
    min_workers: int
    max_workers: int | None
    every_years: int
    first_reference_year: int
    status: str
    article: str

    def holds(self, headcount: int) -> bool:
        return headcount >= self.min_workers and (
            self.max_workers is None or headcount <= self.max_workers
        )


@dataclass(frozen=True)
class ReportingRules:
    as_of: dt.date
    sources: dict[str, str]
    law_status: str
    in_force_from: dt.date
    due_month: int
    due_day: int
    bands: tuple[Band, ...]

    def in_force(self, today: dt.date) -> bool:
        return self.law_status == "in_force" or (
            self.law_status != "planned" and today >= self.in_force_from
        )

    def due_date(self, reference_year: int) -> dt.date:
        return dt.date(reference_year + 1, self.due_month, self.due_day)


@dataclass(frozen=True)
class Duty:
    """What an organisation of ``headcount`` workers has to report, seen on ``today``."""

    headcount: int
    band: Band | None
    next_reference_year: int | None
    next_due: dt.date | None
    planned: bool  # the dates rest on a law that is not yet in force

    @property
    def required(self) -> bool:
        return self.band is not None


def parse_rules(raw: dict[str, Any]) -> ReportingRules:
    return ReportingRules(
        as_of=raw["as_of"],
        sources=dict(raw["sources"]),
        law_status=raw["netherlands"]["status"],
        in_force_from=raw["netherlands"]["in_force_from"],
        due_month=int(raw["due_month"]),
        due_day=int(raw["due_day"]),
        bands=tuple(Band(**b) for b in raw["bands"]),
    )


@lru_cache(maxsize=1)
def load_rules() -> ReportingRules:
    return parse_rules(yaml.safe_load(DATA.read_text(encoding="utf-8")))


def reporting_duty(headcount: int, today: dt.date, rules: ReportingRules | None = None) -> Duty:
    """The band for ``headcount`` and the first report in its cycle not yet past due on ``today``.

    Reference years of a band are ``first_reference_year + i × every_years``; the next one is
    the earliest whose due date (7 June of the following year) is on or after ``today``.
    """
    rules = rules or load_rules()
    band = next((b for b in rules.bands if b.holds(headcount)), None)
    planned = not rules.in_force(today) or (band is not None and band.status == "planned")
    if band is None:
        return Duty(headcount, None, None, None, planned)
    year = band.first_reference_year
    while rules.due_date(year) < today:
        year += band.every_years
    return Duty(headcount, band, year, rules.due_date(year), planned)
