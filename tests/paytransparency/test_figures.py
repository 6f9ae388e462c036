"""The letter's figures (Art. 7) and the report's categories (Art. 9(1)(g)) against a hand
computation on twelve people, and the small-category rule."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from koers.paytransparency.figures import UnknownWorker, letter_figures, with_categories
from koers.paytransparency.report import build_report, flat_rows, to_json
from koers.stats.disclosure import Discloser

ON = dt.date(2026, 6, 30)
MAPPING = {"Engineer": "C", "Constructeur": "C", "Monteur": "B"}
# id, gender, job, hours, base, variable: hourly total pay = (base + variable) / (hours × 52)
PEOPLE = [
    ("E1", "female", "Engineer", 40, 52000, 0),  # 25.00 an hour
    ("E2", "female", "Constructeur", 32, 41600, 1664),  # 43264 / 1664 = 26.00
    ("E3", "female", "Engineer", 40, 54080, 0),  # 26.00
    ("E4", "female", "Engineer", 36, 46800, 0),  # 46800 / 1872 = 25.00
    ("E5", "female", "Constructeur", 40, 56160, 0),  # 27.00
    ("M1", "male", "Engineer", 40, 58240, 0),  # 28.00
    ("M2", "male", "Engineer", 40, 60320, 0),  # 29.00
    ("M3", "male", "Constructeur", 40, 62400, 0),  # 30.00
    ("M4", "male", "Engineer", 40, 56160, 0),  # 27.00
    ("M5", "male", "Constructeur", 40, 52000, 2080),  # 26.00
    ("X1", "female", "Monteur", 40, 41600, 0),  # 20.00
    ("Y1", "male", "Monteur", 40, 43680, 0),  # 21.00
]


def frame() -> pd.DataFrame:
    rows = [
        {
            "employee_id": pid,
            "gender": gender,
            "job_family": job,
            "job_level": "9",
            "hours_per_week": float(hours),
            "annual_base_salary": float(base),
            "annual_variable_pay": float(var),
            "hire_date": pd.Timestamp("2020-01-01"),
            "exit_date": pd.NaT,
        }
        for pid, gender, job, hours, base, var in PEOPLE
    ]
    # A woman who left before the reference date counts nowhere.
    rows.append({**rows[0], "employee_id": "GONE", "exit_date": pd.Timestamp("2026-01-31")})
    return pd.DataFrame(rows)


def test_the_letter_gives_own_pay_and_the_means_of_women_and_men_in_the_category():
    figures = letter_figures(frame(), ON, "E2", MAPPING, k=5)
    assert figures.category == "C"
    assert figures.annual == pytest.approx(43264)
    assert figures.hourly == pytest.approx(26.0)
    # By hand: women in C earn 52000 + 43264 + 54080 + 46800 + 56160 = 252304 a year,
    # 25 + 26 + 26 + 25 + 27 = 129 an hour; men 291200 and 140.
    assert (figures.women.n, figures.men.n) == (5, 5)
    assert figures.women.mean_annual == pytest.approx(252304 / 5)
    assert figures.women.mean_hourly == pytest.approx(129 / 5)
    assert figures.men.mean_annual == pytest.approx(291200 / 5)
    assert figures.men.mean_hourly == pytest.approx(140 / 5)
    assert not figures.withheld


def test_a_category_with_fewer_than_k_women_or_men_withholds_their_mean():
    figures = letter_figures(frame(), ON, "X1", MAPPING, k=5)
    assert figures.category == "B"
    assert figures.annual == pytest.approx(41600)  # one's own pay is always given
    assert (figures.women.n, figures.men.n) == (1, 1)
    assert figures.women.mean_annual is None
    assert figures.men.mean_hourly is None
    assert figures.women.withheld
    assert figures.men.withheld
    assert figures.to_dict()["withheld"] is True
    # With k = 6 the category of five women and five men is too small as well.
    assert letter_figures(frame(), ON, "E2", MAPPING, k=6).withheld


def test_a_worker_not_in_service_has_no_letter():
    with pytest.raises(UnknownWorker):
        letter_figures(frame(), ON, "GONE", MAPPING, k=5)


def test_without_a_scheme_the_letter_uses_the_scans_default_category():
    figures = letter_figures(frame(), ON, "E1", None, k=5)
    assert figures.category == "Engineer / 9"
    assert (figures.women.n, figures.men.n) == (3, 3)  # E1, E3, E4 and M1, M2, M4


def test_the_report_computes_g_on_the_schemes_categories_with_the_scans_formula():
    report = build_report(frame(), ON, Discloser(True, 5), mapping=MAPPING, scheme_version=3)
    assert report is not None
    rows = {c["category"]: c for c in report["g"]}
    assert set(rows) == {"B", "C"}
    # (28 − 25.8) / 28 × 100 by hand; base pay: men 289120/5/2080 … computed the same way.
    assert rows["C"]["mean_gap_pct"] == pytest.approx((28 - 25.8) / 28 * 100)
    assert rows["C"]["median_gap_pct"] == pytest.approx((28 - 26) / 28 * 100)
    assert rows["B"]["mean_gap_pct"] == pytest.approx((21 - 20) / 21 * 100)
    assert report["a"]["value"] == pytest.approx(
        ((140 + 21) / 6 - (129 + 20) / 6) / ((140 + 21) / 6) * 100
    )
    assert to_json(report)["category_scheme_version"] == 3
    assert [r[0] for r in flat_rows(report)[1:5]] == ["a", "b", "c", "d"]


def test_outside_hr_the_report_leaves_out_categories_under_k():
    report = build_report(frame(), ON, Discloser(False, 5), mapping=MAPPING)
    assert report is not None
    assert [c["category"] for c in report["g"]] == ["C"]
    assert report["g_complete"] is False


def test_with_categories_leaves_an_unplaced_job_in_its_default_category():
    out = with_categories(frame(), {"Engineer": "C"})
    assert set(out["category"]) == {"C", "Constructeur / 9", "Monteur / 9"}
