"""The reporting duty (Art. 9(2)-(4)) and the 2-month clock of Art. 7(4); both pure."""

from __future__ import annotations

import datetime as dt

import pytest

from koers.paytransparency.clock import add_months, answer_deadline
from koers.paytransparency.duties import load_rules, reporting_duty


@pytest.mark.parametrize(
    ("headcount", "today", "every", "year", "due"),
    [
        (1200, dt.date(2026, 12, 7), 1, 2027, dt.date(2028, 6, 7)),
        (250, dt.date(2028, 6, 8), 1, 2028, dt.date(2029, 6, 7)),  # the 2027 report is past due
        (249, dt.date(2026, 12, 7), 3, 2027, dt.date(2028, 6, 7)),
        (150, dt.date(2028, 6, 8), 3, 2030, dt.date(2031, 6, 7)),  # then every three years
        (149, dt.date(2026, 12, 7), 3, 2031, dt.date(2032, 6, 7)),
        (100, dt.date(2032, 6, 7), 3, 2031, dt.date(2032, 6, 7)),  # due today still counts
        (100, dt.date(2032, 6, 8), 3, 2034, dt.date(2035, 6, 7)),
    ],
)
def test_the_band_and_next_due_date_follow_from_headcount(headcount, today, every, year, due):
    duty = reporting_duty(headcount, today)
    assert duty.required
    assert duty.band is not None
    assert duty.band.every_years == every
    assert (duty.next_reference_year, duty.next_due) == (year, due)


def test_fewer_than_100_workers_have_no_duty():
    duty = reporting_duty(99, dt.date(2027, 1, 1))
    assert not duty.required
    assert duty.next_due is None


def test_the_dates_are_data_with_a_source_an_as_of_date_and_marked_planned():
    rules = load_rules()
    assert rules.as_of == dt.date(2026, 12, 7)
    assert "2023/970" in rules.sources["directive"]
    assert rules.law_status == "planned"
    assert rules.in_force_from == dt.date(2027, 1, 1)
    assert not rules.in_force(dt.date(2027, 6, 1))  # planned stays planned until the data say so
    assert all(b.status == "planned" for b in rules.bands)
    assert reporting_duty(300, dt.date(2027, 1, 2)).planned


@pytest.mark.parametrize(
    ("received", "deadline"),
    [
        (dt.date(2026, 10, 5), dt.date(2026, 12, 5)),
        (dt.date(2026, 11, 20), dt.date(2027, 1, 20)),  # across the year
        (dt.date(2026, 12, 31), dt.date(2027, 2, 28)),  # no 31 February: the month's last day
        (dt.date(2027, 12, 31), dt.date(2028, 2, 29)),  # leap year
        (dt.date(2027, 8, 31), dt.date(2027, 10, 31)),
    ],
)
def test_the_answer_is_due_two_months_after_the_request(received, deadline):
    assert answer_deadline(received) == deadline


def test_add_months_counts_whole_months():
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2026, 1, 15), 24) == dt.date(2028, 1, 15)


@pytest.mark.parametrize(
    ("report", "deadline"),
    [
        (dt.date(2028, 6, 7), dt.date(2028, 12, 7)),
        (dt.date(2028, 8, 31), dt.date(2029, 2, 28)),  # no 31 February
        (dt.date(2027, 8, 31), dt.date(2028, 2, 29)),
    ],
)
def test_the_gap_must_be_remedied_six_months_after_the_report(report, deadline):
    from koers.paytransparency.clock import remedy_deadline

    assert remedy_deadline(report) == deadline
