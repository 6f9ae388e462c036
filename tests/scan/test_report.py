"""build_context() is a thin, pure layer over koers.stats, disclosed per viewer."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from koers.hrfile import check_for_import, parse_employees, read_table, suggest_mapping
from koers.scan.demo import dutch_export, generate_rows
from koers.scan.improvement import METRICS
from koers.scan.report import build_context, default_period
from koers.stats.flows import compute_flows
from koers.stats.paygap import compute_pay_gap
from koers.stats.workforce import leaky_pipeline, work_patterns

REF = dt.date(2026, 6, 30)


@pytest.fixture(scope="module")
def employees() -> pd.DataFrame:
    raw = read_table(dutch_export(generate_rows(400, seed=5)), filename="x.csv")
    return check_for_import(parse_employees(raw, suggest_mapping(raw.headers)), REF).employees


@pytest.mark.parametrize(
    "module",
    ["report", "report_pay", "charts", "improvement", "numbers", "storage"],
)
def test_the_report_modules_do_not_import_django(module: str) -> None:
    source = Path(sys.modules[f"koers.scan.{module}"].__file__ or "").read_text()
    assert "import django" not in source
    assert "from django" not in source


def test_hr_figures_equal_the_stats_functions(employees: pd.DataFrame) -> None:
    context = build_context(employees, REF, hr=True)
    pay = compute_pay_gap(employees, REF)
    assert context["pay"]["indicators"][0]["value"] == pay.mean_gap_pct
    assert context["pay"]["indicators"][3]["value"] == pay.variable.median_gap_pct
    assert context["pay"]["annual_mean_gap_pct"] == pay.annual_mean_gap_pct
    assert context["pay"]["adjusted"]["ci_low_pct"] == pay.adjusted.ci_low_pct  # type: ignore[union-attr]
    assert [q["female_share"] for q in context["pay"]["quartiles"]] == [
        q.female_share for q in pay.quartiles
    ]
    start, end = default_period(REF)
    flows = compute_flows(employees, start, end)
    for g in ("female", "male"):
        assert context["flows"]["figures"]["leavers"][g] == flows.by_gender[g].leavers
        assert context["flows"]["rates"]["outflow_rate"][g] == flows.by_gender[g].outflow_rate
        assert context["flows"]["rates"]["promotion_rate"][g] == flows.by_gender[g].promotion_rate
    pipeline = leaky_pipeline(employees, REF)
    assert [r["key"] for r in context["pipeline"]] == pipeline["job_level"].tolist()
    assert [r["female_share"] for r in context["pipeline"]] == pytest.approx(
        pipeline["female_share"].tolist()
    )
    patterns = work_patterns(employees, REF)
    assert context["work"]["by_gender"]["female"]["part_time_share"] == (
        patterns["female"].part_time_share
    )
    assert context["work"]["by_gender"]["male"]["training_per_fte"] == (
        patterns["male"].training_per_fte
    )


def test_every_metric_the_rules_know_is_provided(employees: pd.DataFrame) -> None:
    metrics = build_context(employees, REF, hr=True)["metrics"]
    assert set(metrics) == set(METRICS)


def _small_org() -> pd.DataFrame:
    """Three women and 40 men in level 9; a large level 5."""
    day = pd.Timestamp("2020-01-01")
    rows = []
    for i in range(43 + 60):
        level, female = ("9", i < 3) if i < 43 else ("5", i < 43 + 20)
        rows.append(
            {
                "employee_id": str(i),
                "gender": "female" if female else "male",
                "birth_year": 1980.0,
                "hire_date": day,
                "exit_date": pd.NaT,
                "job_family": "Engineer",
                "job_level": level,
                "is_technical": True,
                "management_layer": "none",
                "hours_per_week": 40.0,
                "annual_base_salary": 50000.0 + 100 * i,
                "annual_variable_pay": 0.0,
                "education": "hbo",
            }
        )
    frame = pd.DataFrame(rows)
    frame["hire_date"] = frame["hire_date"].astype("datetime64[s]")
    frame["exit_date"] = frame["exit_date"].astype("datetime64[s]")
    frame["is_technical"] = frame["is_technical"].astype("boolean")
    return frame


def test_non_hr_viewers_get_no_cell_under_k_per_gender() -> None:
    frame = _small_org()
    hr = build_context(frame, REF, hr=True)
    shared = build_context(frame, REF, hr=False)
    level9_hr = next(r for r in hr["pipeline"] if r["key"] == "9")
    level9 = next(r for r in shared["pipeline"] if r["key"] == "9")
    assert level9_hr["n_female"] == 3
    assert level9["n_female"] is None
    assert level9["female_share"] is None
    assert level9["hidden"]
    # Complementary suppression: the other level's women are hidden too.
    level5 = next(r for r in shared["pipeline"] if r["key"] == "5")
    assert level5["n_female"] is None
    assert level5["n_male"] == 40  # men are a breakdown of their own
    assert shared["pay"]["categories"]["rows"] is None
    assert hr["pay"]["categories"]["rows"][0]["n_female"] in (3, 20)
    # The rule findings can only quote figures the viewer may see.
    assert shared["metrics"]["pipeline_drop"] is None


def test_a_gap_between_groups_under_k_is_not_shown_beyond_hr() -> None:
    frame = _small_org()
    frame = frame[(frame["job_level"] == "9")].reset_index(drop=True)  # 3 women, 40 men
    shared = build_context(frame, REF, hr=False)
    assert shared["pay"]["indicators"][0]["value"] is None
    assert shared["pay"]["adjusted"] is None
    assert shared["metrics"]["mean_gap_pct"] is None
    hr = build_context(frame, REF, hr=True)
    assert hr["pay"]["indicators"][0]["value"] is not None


def test_findings_use_the_language_asked_for(employees: pd.DataFrame) -> None:
    nl = build_context(employees, REF, hr=True, lang="nl")["findings"]
    en = build_context(employees, REF, hr=True, lang="en")["findings"]
    assert [f["id"] for f in nl] == [f["id"] for f in en]
    assert nl
    assert "%" in nl[0]["text"]
    assert nl[0]["title"] != en[0]["title"]


def test_the_demo_shows_a_few_improvement_areas() -> None:
    raw = read_table(dutch_export(generate_rows()), filename="x.csv")
    employees = check_for_import(parse_employees(raw, suggest_mapping(raw.headers)), REF).employees
    hr_ids = {f["id"] for f in build_context(employees, REF, hr=True)["findings"]}
    shared_ids = {f["id"] for f in build_context(employees, REF, hr=False)["findings"]}
    assert {"promotion_rate_women_lower", "outflow_women_higher", "part_time_outflow"} <= hr_ids
    assert shared_ids <= hr_ids
    assert len(shared_ids) >= 3


def test_charts_keep_a_row_for_hidden_values() -> None:
    shared = build_context(_small_org(), REF, hr=False)
    bars = shared["pipeline_chart"]["bars"]
    assert [b["hidden"] for b in bars] == [r["hidden"] for r in shared["pipeline"]]
    assert all(b["width"] is None for b in bars if b["hidden"])
    widths = [b["width"] for b in build_context(_small_org(), REF)["pipeline_chart"]["bars"]]
    assert all(isinstance(w, float) and w >= 0 for w in widths)
    assert np.isfinite(widths).all()


def test_default_period_is_the_year_before_the_reference_date() -> None:
    assert default_period(dt.date(2024, 2, 29)) == (dt.date(2023, 2, 28), dt.date(2024, 2, 29))
    assert default_period(REF) == (dt.date(2025, 6, 30), REF)
