"""The trend over snapshots and the comparison of two, against a computation by hand.

The reference figures are computed straight from the generated rows (plain Python, no
``koers.stats``): who is in service on the reference date (``spec/paygap.md``,
"Population"), the mean gap of hourly total pay (Art. 9(1)(a)), and hires and leavers
over the year up to the reference date (``koers.stats.flows``' stated boundaries).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from koers.hrfile import check_for_import, parse_employees, read_table, suggest_mapping
from koers.scan import history, trend
from koers.scan.demo import dutch_export, generate_rows
from koers.scan.models import Snapshot
from koers.scan.services import store_snapshot

DATES = (dt.date(2024, 6, 30), dt.date(2025, 6, 30), dt.date(2026, 6, 30))
SHIFTS = (-0.08, -0.04, 0.0)


def store(org: Any, day: dt.date, rows: Sequence[dict[str, Any]]) -> Snapshot:
    raw = read_table(dutch_export(rows), filename="x.csv")
    checked = check_for_import(parse_employees(raw, suggest_mapping(raw.headers)), day)
    assert not checked.problems
    return store_snapshot(org, day, checked.employees, filename=f"{day}.csv")


def _staff(rows: Sequence[dict[str, Any]], day: dt.date) -> list[dict[str, Any]]:
    return [
        r
        for r in rows
        if r["management_layer"] != "RvC"
        and r["hire_date"] <= day
        and (r["exit_date"] is None or r["exit_date"] >= day)
    ]


def _women_share(people: Sequence[dict[str, Any]]) -> float:
    return sum(r["gender"] == "V" for r in people) / len(people)


def _mean_gap_pct(people: Sequence[dict[str, Any]]) -> float:
    def mean_hourly(gender: str) -> float:
        pay = [
            (r["annual_base_salary"] + r["annual_variable_pay"]) / (r["hours_per_week"] * 52)
            for r in people
            if r["gender"] == gender
        ]
        return sum(pay) / len(pay)

    men, women = mean_hourly("M"), mean_hourly("V")
    return (men - women) / men * 100


def _year_before(day: dt.date) -> dt.date:
    return day.replace(year=day.year - 1)


def _hires(rows: Sequence[dict[str, Any]], day: dt.date, gender: str) -> int:
    start = _year_before(day)
    return sum(
        r["management_layer"] != "RvC" and r["gender"] == gender and start < r["hire_date"] <= day
        for r in rows
    )


def _leavers(rows: Sequence[dict[str, Any]], day: dt.date, gender: str) -> int:
    start = _year_before(day)
    return sum(
        r["management_layer"] != "RvC"
        and r["gender"] == gender
        and r["exit_date"] is not None
        and start <= r["exit_date"] < day
        for r in rows
    )


@pytest.fixture
def three_years(org_a: Any) -> list[tuple[Snapshot, list[dict[str, Any]]]]:
    out = []
    for i, (day, shift) in enumerate(zip(DATES, SHIFTS, strict=True)):
        rows = generate_rows(300, seed=40 + i, reference_date=day, female_shift=shift)
        out.append((store(org_a, day, rows), rows))
    return out


def _figure(result: dict[str, Any], key: str) -> list[float | None]:
    values: list[float | None] = next(f["values"] for f in result["figures"] if f["key"] == key)
    return values


def test_the_trend_gives_each_snapshots_share_of_women_pay_gap_and_flows_as_computed_by_hand(
    org_a: Any, three_years: list[tuple[Snapshot, list[dict[str, Any]]]]
) -> None:
    result = history.build_trend(org_a, hr=True, lang="nl")
    assert result["dates"] == list(DATES)
    staff = [_staff(rows, day) for day, (_s, rows) in zip(DATES, three_years, strict=True)]
    assert _figure(result, "n_staff") == [len(p) for p in staff]
    assert _figure(result, "female_share") == pytest.approx([_women_share(p) for p in staff])
    assert _figure(result, "mean_gap_pct") == pytest.approx([_mean_gap_pct(p) for p in staff])
    everyone = [rows for _s, rows in three_years]
    assert _figure(result, "hires_female") == [
        _hires(rows, day, "V") for day, rows in zip(DATES, everyone, strict=True)
    ]
    assert _figure(result, "leavers_male") == [
        _leavers(rows, day, "M") for day, rows in zip(DATES, everyone, strict=True)
    ]
    shares = [_women_share(p) for p in staff]
    change = next(f["change"] for f in result["figures"] if f["key"] == "female_share")
    assert change == pytest.approx((shares[-1] - shares[0]) * 100)
    assert [bar["label"] for bar in result["chart"]["bars"]] == [
        f"{d.day}-{d.month}-{d.year}" for d in DATES
    ]


def test_the_trend_gives_the_share_of_women_per_level_as_computed_by_hand(
    org_a: Any, three_years: list[tuple[Snapshot, list[dict[str, Any]]]]
) -> None:
    result = history.build_trend(org_a, hr=True, lang="nl")
    for i, (day, (_s, rows)) in enumerate(zip(DATES, three_years, strict=True)):
        staff = _staff(rows, day)
        for level in {r["job_level"] for r in staff}:
            people = [r for r in staff if r["job_level"] == level]
            row = next(r for r in result["levels"] if r["level"] == level)
            assert row["values"][i] == pytest.approx(_women_share(people)), (day, level)
    assert [r["level"] for r in result["levels"]] == sorted(
        {r["level"] for r in result["levels"]}, key=int
    )


def test_two_snapshots_are_compared_figure_by_figure_as_computed_by_hand(
    org_a: Any, three_years: list[tuple[Snapshot, list[dict[str, Any]]]]
) -> None:
    (old, old_rows), _middle, (new, new_rows) = three_years
    table = history.compare_snapshots(old, new, hr=True, lang="nl")
    rows = {r["key"]: r for r in table["figures"]}
    a, b = _staff(old_rows, DATES[0]), _staff(new_rows, DATES[2])
    assert rows["female_share"]["old"] == pytest.approx(_women_share(a))
    assert rows["female_share"]["new"] == pytest.approx(_women_share(b))
    expected = (_women_share(b) - _women_share(a)) * 100
    assert rows["female_share"]["change"] == pytest.approx(expected)
    assert rows["n_staff"]["change"] == len(b) - len(a)
    gap = _mean_gap_pct(b) - _mean_gap_pct(a)
    assert rows["mean_gap_pct"]["change"] == pytest.approx(gap)
    level = next(r for r in table["levels"] if r["level"] == "7")
    women = _women_share([r for r in b if r["job_level"] == "7"])
    assert level["change"] == pytest.approx(
        (women - _women_share([r for r in a if r["job_level"] == "7"])) * 100
    )


def test_a_change_is_shown_only_when_both_figures_are() -> None:
    assert trend.change("share", None, 0.4) is None
    assert trend.change("share", 0.25, 0.3) == pytest.approx(5.0)
    assert trend.change("pct", 7.5, 5.0) == pytest.approx(-2.5)
    assert trend.change("count", 10, 12) == 2


def test_outside_hr_the_trend_shows_what_each_snapshots_dashboard_shows(
    client: Any, org_a: Any, member_of: Any
) -> None:
    snapshots = []
    for i, day in enumerate(DATES):
        rows = generate_rows(40, seed=3 + i, reference_date=day)
        snapshots.append(store(org_a, day, rows))
    manager = member_of("manager")
    client.force_login(manager)
    page = client.get(reverse("scan_trend", kwargs={"org": "alpha"}))
    assert page.status_code == 200
    shown = page.context["t"]
    hidden_somewhere = False
    for i, snapshot in enumerate(snapshots):
        dashboard = client.get(
            reverse("scan_snapshot", kwargs={"org": "alpha", "pk": snapshot.pk})
        ).context["r"]
        assert dashboard["hr"] is False
        for f in shown["figures"]:
            assert f["values"][i] == trend.headline(dashboard)[f["key"]], f["key"]
        levels = trend.level_shares(dashboard)
        for row in shown["levels"]:
            expected = levels.get(row["level"], (None, None))[0]
            assert row["values"][i] == expected
            hidden_somewhere |= row["values"][i] is None and row["level"] in levels
    # Small groups exist in a 40-person firm, so the rule did hide something on the page.
    assert hidden_somewhere
    hr = history.build_trend(org_a, hr=True, lang="nl")
    assert sum(v is None for row in hr["levels"] for v in row["values"]) < sum(
        v is None for row in shown["levels"] for v in row["values"]
    )


def test_outside_hr_the_comparison_hides_a_change_whose_figures_are_hidden(
    client: Any, org_a: Any, member_of: Any
) -> None:
    old = store(org_a, DATES[0], generate_rows(40, seed=3, reference_date=DATES[0]))
    new = store(org_a, DATES[2], generate_rows(40, seed=5, reference_date=DATES[2]))
    client.force_login(member_of("works_council"))
    url = reverse("scan_compare", kwargs={"org": "alpha"})
    page = client.get(url, {"a": old.pk, "b": new.pk})
    assert page.status_code == 200
    levels = page.context["levels"]
    assert any(r["old"] is None or r["new"] is None for r in levels)
    assert all(r["change"] is None for r in levels if r["old"] is None or r["new"] is None)
    shared = history.compare_snapshots(old, new, hr=False, lang="nl")
    hr = history.compare_snapshots(old, new, hr=True, lang="nl")
    assert page.context["levels"] == shared["levels"]
    assert shared["levels"] != hr["levels"]


def test_the_comparison_never_reads_another_organisations_snapshot(
    client: Any, org_a: Any, org_b: Any, hr_user: Any
) -> None:
    mine = [store(org_a, day, generate_rows(60, seed=9, reference_date=day)) for day in DATES[1:]]
    theirs = store(org_b, DATES[0], generate_rows(60, seed=8, reference_date=DATES[0]))
    client.force_login(hr_user)
    page = client.get(reverse("scan_compare", kwargs={"org": "alpha"}), {"a": theirs.pk})
    assert page.status_code == 200
    assert {page.context["old"].pk, page.context["new"].pk} == {s.pk for s in mine}


def test_with_one_snapshot_the_comparison_sends_back_to_the_scan(
    client: Any, org_a: Any, hr_user: Any
) -> None:
    store(org_a, DATES[0], generate_rows(60, seed=9, reference_date=DATES[0]))
    client.force_login(hr_user)
    page = client.get(reverse("scan_compare", kwargs={"org": "alpha"}))
    assert page.status_code == 302
    assert client.get(reverse("scan_trend", kwargs={"org": "alpha"})).status_code == 200


MAX_TREND_QUERIES = 8  # 6 when written (session, membership, audit, list, rows)


def _trend_queries(client: Any) -> int:
    cache.clear()  # cold: every report is computed, every snapshot's rows are read
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("scan_trend", kwargs={"org": "alpha"}))
    assert page.status_code == 200
    return len(queries)


@pytest.mark.parametrize("role", ["hr_analyst", "manager"])
def test_the_trend_page_makes_no_query_per_snapshot(
    client: Any, org_a: Any, member_of: Any, role: str
) -> None:
    client.force_login(member_of(role))
    rows = generate_rows(60, seed=12, reference_date=DATES[0])
    for day in DATES[:2]:
        store(org_a, day, rows)
    few = _trend_queries(client)
    for year in (2022, 2023):
        store(org_a, dt.date(year, 6, 30), rows)
    many = _trend_queries(client)
    assert many == few, (few, many)
    assert many <= MAX_TREND_QUERIES, many
