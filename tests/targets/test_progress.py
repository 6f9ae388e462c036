"""Verdicts of one target from its inputs, and what viewers outside HR are shown."""

from __future__ import annotations

import datetime as dt

import pytest

from koers.stats.disclosure import Discloser
from koers.targets import progress
from koers.targets.inputs import PopulationInputs
from koers.targets.progress import assess
from koers.targets.projection import Seat

HR = Discloser(True, 5)
OTHERS = Discloser(False, 5)


def stock(**changes: object) -> PopulationInputs:
    # The spec's worked example as a population on 30-06-2026.
    values: dict[str, object] = {
        "reference_date": dt.date(2026, 6, 30),
        "is_flow": False,
        "women": 30,
        "men": 170,
        "other": 0,
        "hires_per_year": 25,
        "women_share_of_hires": 0.15,
        "outflow_women": 0.12,
        "outflow_men": 0.08,
    }
    values.update(changes)
    return PopulationInputs(**values)  # type: ignore[arg-type]


def run(population: str = "subtop", share: float = 0.25, year: int = 2029, **kw: object):
    return assess(
        population=population,
        target_share=share,
        target_year=year,
        inputs=kw.pop("inputs", stock()),  # type: ignore[arg-type]
        discloser=kw.pop("discloser", HR),  # type: ignore[arg-type]
        **kw,  # type: ignore[arg-type]
    )


def test_three_years_ahead_the_worked_example_needs_14_of_25() -> None:
    result = run(year=2029)
    assert result.verdict == progress.NEEDS
    assert result.years_left == 3
    assert result.path is not None
    assert result.path.women_per_year == 14
    assert result.women_now_per_year == pytest.approx(3.75)
    assert result.actual_share == pytest.approx(0.15)
    assert result.progress == pytest.approx(0.6)


def test_a_target_out_of_reach_says_so() -> None:
    result = run(share=0.5)
    assert result.verdict == progress.NOT_REACHABLE
    assert result.path is not None
    assert result.path.reachable_in_year == 5


def test_when_the_current_hiring_suffices_the_target_is_on_track() -> None:
    result = run(inputs=stock(women_share_of_hires=0.8))
    assert result.verdict == progress.ON_TRACK


def test_in_the_target_year_the_verdict_is_met_or_missed() -> None:
    assert run(year=2026, share=0.15).verdict == progress.MET
    assert run(year=2025, share=0.2).verdict == progress.MISSED


def test_without_a_scan_there_is_nothing_to_compute() -> None:
    assert run(inputs=None).verdict == progress.NO_DATA


def test_an_inflow_target_needs_the_target_share_of_the_yearly_hires_rounded_up() -> None:
    inflow = stock(is_flow=True, women=20, men=80, hires_per_year=110, women_share_of_hires=0.2)
    result = run("inflow", share=0.3, inputs=inflow)
    assert result.verdict == progress.FLOW_SHORT
    assert result.women_needed_per_year == 33  # 0.3 × 110, exactly 33
    assert run("inflow", share=0.2, inputs=inflow).verdict == progress.FLOW_MET


def test_outside_hr_a_group_with_fewer_than_five_of_a_gender_shows_no_figures() -> None:
    small = stock(women=3, men=40)
    hidden = run(inputs=small, discloser=OTHERS)
    assert hidden.verdict == progress.HIDDEN
    assert hidden.inputs is None
    assert hidden.path is None
    assert hidden.actual_share is None
    assert run(inputs=small, discloser=HR).verdict == progress.NEEDS
    assert run(discloser=OTHERS).verdict == progress.NEEDS  # 30 and 170: shown


def test_a_board_without_term_dates_says_how_many_women_it_needs() -> None:
    board = stock(women=0, men=2, other=0)
    result = run("board", share=0.3, year=2028, inputs=board)
    assert result.verdict == progress.SEATS_UNKNOWN_TERMS
    assert result.seats is not None
    assert result.seats.women_required == 1  # 30 % of 2 seats, and the ambitious minimum


def test_a_board_with_terms_lists_the_seats_coming_free() -> None:
    seats = [Seat("M", dt.date(2027, 6, 30)), Seat("M", dt.date(2031, 1, 1))]
    result = run("board", share=0.5, year=2028, inputs=stock(women=0, men=2), seats=seats)
    assert result.verdict == progress.SEATS_NEEDED
    assert result.seats is not None
    assert result.seats.women_to_appoint == 1
    assert result.seats.n_seats_free == 1
    too_late = [Seat("M", dt.date(2030, 1, 1)), Seat("M", dt.date(2031, 1, 1))]
    short = run("board", share=0.5, year=2028, inputs=stock(women=0, men=2), seats=too_late)
    assert short.verdict == progress.SEATS_SHORT
    met = run("board", share=0.5, year=2028, inputs=stock(women=1, men=1))
    assert met.verdict == progress.SEATS_MET
