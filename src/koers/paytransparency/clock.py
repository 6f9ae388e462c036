"""The Art. 7(4) clock: an answer within two months of the request (pure, no Django)."""

from __future__ import annotations

import calendar
import datetime as dt

ANSWER_MONTHS = 2  # Directive 2023/970, Art. 7(4): "no later than two months"


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later; the month's last day when it has no such day
    (31 December + 2 months = 28 or 29 February). A deadline on a weekend is not moved:
    our choice, the earlier date is always safe."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def answer_deadline(received_on: dt.date) -> dt.date:
    return add_months(received_on, ANSWER_MONTHS)


REMEDY_MONTHS = 6  # Art. 10(1)(c): not remedied within six months of the report's date


def remedy_deadline(report_date: dt.date) -> dt.date:
    return add_months(report_date, REMEDY_MONTHS)


NOTICE_MONTHS = 12  # Art. 7(3): workers are told of their right every year


def notice_due_on(given_on: dt.date | None, today: dt.date) -> dt.date:
    """When the next yearly notice to all workers is due: a year after the last one
    (29 February → 28 February), or today when none was recorded."""
    return today if given_on is None else add_months(given_on, NOTICE_MONTHS)


def notice_due(given_on: dt.date | None, today: dt.date) -> bool:
    return today >= notice_due_on(given_on, today)
