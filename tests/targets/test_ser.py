"""The annual diversity report (SER): figures against a hand count on a small generated
organisation, the deadline rule, the CSV's columns and order, the PDF, and who may do what."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pandas as pd
import pytest
from django.urls import reverse

from koers.lib.hooks import PlanLine
from koers.organisations.models import Role
from koers.plan.demo import load_demo_plan
from koers.scan.demo import load_demo_scan
from koers.scan.services import store_snapshot
from koers.targets import ser
from koers.targets.demo import load_demo_targets
from koers.targets.models import ReportSettings, SubTopDefinition, Target, TargetExplanation
from koers.targets.reporting import build_report, default_year
from tests.conftest import PASSWORD
from tests.pdftext import is_tagged, pdf_objects


def login(client: Any, member_of: Any, role: str) -> Any:
    user = member_of(role)
    client.login(username=user.username, password=PASSWORD)
    return user


def url(name: str, org: Any, year: int | None = None) -> str:
    base = reverse(name, kwargs={"org": org.slug})
    return base if year is None else f"{base}?jaar={year}"


# ---- the deadline rule ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fy_end", "due"),
    [
        (dt.date(2025, 12, 31), dt.date(2026, 10, 31)),  # calendar year: 31 October
        (dt.date(2025, 6, 30), dt.date(2026, 4, 30)),  # broken year ending 30 June
        (dt.date(2025, 3, 31), dt.date(2026, 1, 31)),
        (dt.date(2025, 4, 30), dt.date(2026, 2, 28)),  # month end → month end
        (dt.date(2027, 4, 30), dt.date(2028, 2, 29)),  # leap year
        (dt.date(2025, 9, 15), dt.date(2026, 7, 15)),  # not a month end: the same day
    ],
)
def test_the_report_is_due_ten_months_after_the_financial_year_ends(fy_end, due):
    assert ser.deadline(fy_end) == due


def test_a_broken_financial_year_runs_from_the_day_after_last_years_end():
    end = ser.financial_year_end(2025, 6, 30)
    assert end == dt.date(2025, 6, 30)
    assert ser.financial_year_start(end) == dt.date(2024, 7, 1)
    assert ser.financial_year_start(ser.financial_year_end(2025)) == dt.date(2025, 1, 1)
    assert ser.financial_year_end(2025, 2, 31) == dt.date(2025, 2, 28)


def test_the_report_year_is_the_last_financial_year_that_has_ended(db, org_a):
    assert default_year(org_a, dt.date(2026, 12, 7)) == 2025
    ReportSettings.objects.create(organisation=org_a, fy_end_month=6, fy_end_day=30)
    assert default_year(org_a, dt.date(2026, 12, 7)) == 2026
    assert default_year(org_a, dt.date(2026, 6, 30)) == 2025


def test_every_legal_fact_names_its_source_and_when_it_was_checked():
    assert {f.key for f in ser.LEGAL_FACTS} >= {"deadline", "subtop", "other", "report"}
    for f in ser.LEGAL_FACTS:
        assert f.source
        assert f.nl
        assert f.en
        assert f.as_of.year >= 2026


def test_non_binary_people_join_the_under_represented_sex_only_when_chosen():
    assert ser.apply_other(4, 6, 1, False) == (4, 6, 1)
    assert ser.apply_other(4, 6, 1, True) == (5, 6, 0)
    assert ser.apply_other(7, 3, 2, True) == (7, 5, 0)
    assert ser.apply_other(3, 3, 1, True) == (4, 3, 0)  # a tie: with the women


# ---- figures against a hand count -------------------------------------------------------

YEAR_END = dt.date(2025, 12, 31)


def _person(i: int, gender: str, level: str, layer: str = "none", *, hired: str = "2020-01-01",
            left: str | None = None) -> dict[str, Any]:  # fmt: skip
    return {
        "employee_id": f"e{i}",
        "gender": gender,
        "birth_year": 1985.0,
        "hire_date": pd.Timestamp(hired),
        "exit_date": pd.Timestamp(left) if left else pd.NaT,
        "job_family": "Engineer",
        "job_level": level,
        "is_technical": True,
        "management_layer": layer,
        "hours_per_week": 40.0,
        "annual_base_salary": 60000.0,
        "annual_variable_pay": 0.0,
    }


def _small_org() -> pd.DataFrame:
    people: list[dict[str, Any]] = []

    def add(n: int, *args: Any, **kwargs: Any) -> None:
        for _ in range(n):
            people.append(_person(len(people), *args, **kwargs))

    add(1, "female", "14", "board")
    add(2, "male", "14", "board")
    add(1, "male", "14", "board", left="2025-06-30")  # left before year end
    add(2, "female", "", "supervisory_board")
    add(3, "male", "", "supervisory_board")
    add(4, "female", "12")
    add(6, "male", "12")
    add(1, "other", "12")
    add(1, "female", "12", hired="2026-02-01")  # after year end
    add(10, "female", "5")
    add(1, "female", "5", left="2025-12-31")  # the last day still counts
    add(20, "male", "5")
    return pd.DataFrame(people)


@pytest.fixture
def small(db, org_a):
    store_snapshot(org_a, dt.date(2026, 3, 31), _small_org())
    SubTopDefinition.objects.create(organisation=org_a, name="Leiding", job_levels=["12"])
    for population, name, share, year in [
        ("board", "", 40, 2025),
        ("supervisory_board", "", 40, 2027),
        ("subtop", "Leiding", 50, 2026),
    ]:
        Target.objects.create(organisation=org_a, population=population, subtop_name=name,
                              target_share=Decimal(share), target_year=year)  # fmt: skip
    return org_a


def test_the_year_end_figures_match_a_hand_count(small):
    report = build_report(small, 2025, hr=True)
    assert (report.fy_start, report.fy_end, report.deadline) == (
        dt.date(2025, 1, 1),
        YEAR_END,
        dt.date(2026, 10, 31),
    )
    assert report.source_date == dt.date(2026, 3, 31)
    rows = {b.label_nl: b for b in report.bodies}
    # Employees on 31-12-2025 (staff, not the supervisory board): board 1 F 2 M, level 12
    # 4 F 6 M 1 other, level 5 11 F 20 M.
    employees = rows["werknemers"]
    assert (employees.women, employees.men, employees.not_counted) == (16, 28, 1)
    board = rows["het bestuur"]
    assert (board.women, board.men, board.target_share, board.target_year) == (1, 2, 0.4, 2025)
    assert board.met is False
    supervisory = rows["de raad van commissarissen"]
    assert (supervisory.women, supervisory.men, supervisory.met) == (2, 3, True)
    subtop = rows["de subtop 'Leiding'"]
    assert (subtop.women, subtop.men, subtop.not_counted, subtop.met) == (4, 6, 1, False)


def test_counting_non_binary_people_with_the_under_represented_sex_changes_the_figures(small):
    ReportSettings.objects.create(organisation=small, count_other_with_underrepresented=True)
    rows = {b.label_nl: b for b in build_report(small, 2025, hr=True).bodies}
    assert (rows["werknemers"].women, rows["werknemers"].not_counted) == (17, 0)
    assert (rows["de subtop 'Leiding'"].women, rows["de subtop 'Leiding'"].men) == (5, 6)


def test_the_works_council_sees_small_bodies_without_their_counts(small):
    rows = {b.label_nl: b for b in build_report(small, 2025, hr=False).bodies}
    assert rows["het bestuur"].hidden
    assert rows["het bestuur"].met is None
    assert rows["het bestuur"].target_share == 0.4  # the target itself is shown
    assert rows["de raad van commissarissen"].hidden  # 2 women < 5
    # One person of another gender is a cell under k: hidden, and by rule 2 the next
    # smallest cell too, so the works council sees no employee counts...
    assert rows["werknemers"].hidden
    # ...unless they are counted with the under-represented sex, as the SER allows.
    ReportSettings.objects.create(organisation=small, count_other_with_underrepresented=True)
    rows = {b.label_nl: b for b in build_report(small, 2025, hr=False).bodies}
    assert (rows["werknemers"].women, rows["werknemers"].men) == (17, 28)


def test_the_csv_lists_the_report_in_the_portals_order(small, client, member_of):
    board = Target.objects.get(organisation=small, population="board")
    TargetExplanation.objects.create(
        organisation=small, target=board, year=2025, text="=Een zetel kwam pas in 2026 vrij"
    )
    login(client, member_of, Role.HR_ANALYST)
    response = client.get(url("targets_ser_csv", small, 2025))
    assert response["Content-Type"].startswith("text/csv")
    assert response["Cache-Control"] == "no-store"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert tuple(rows[0]) == ser.CSV_HEADER
    assert [r[0] for r in rows[1:]] == [str(i) for i in range(1, len(rows))]
    sections = [r[1] for r in rows[1:]]
    assert sections[:5] == ["boekjaar"] * 3 + ["bedrijfsprofiel"] * 2
    assert sections[5:8] == ["man-vrouwverhouding"] * 3
    assert [r[2] for r in rows[5:9]] == [
        "werknemers",
        "het bestuur",
        "de raad van commissarissen",
        "de subtop 'Leiding'",
    ]
    board_row = rows[6]
    assert board_row[3:11] == ["1", "2", "0", "3", "33,3", "40,0", "2025", "nee"]
    assert board_row[11] == "'=Een zetel kwam pas in 2026 vrij"  # no spreadsheet formula
    assert rows[3][11] == "2026-10-31"


# ---- pages, PDF, access -----------------------------------------------------------------


@pytest.fixture
def demo(org_a: Any) -> Any:
    load_demo_scan(org_a)
    load_demo_targets(org_a)
    load_demo_plan(org_a)
    return org_a


@pytest.mark.django_db
def test_hr_sees_the_report_with_a_draft_paragraph_in_both_languages(client, demo, member_of):
    login(client, member_of, Role.HR_ANALYST)
    html = client.get(url("targets_ser", demo, 2025)).content.decode()
    assert "Uiterlijk rapporteren aan de SER: 31 oktober 2026." in html
    assert "bestond het bestuur uit 1 vrouw en 2 mannen" in html
    assert "the board had 1 woman and 2 men" in html
    assert "Besluit inhoud bestuursverslag, art. 3d" in html
    assert 'name="why_' in html  # the board's target is not met: HR may say why


@pytest.mark.django_db
def test_the_pdf_renders_tagged_with_the_figures(client, demo, member_of):
    login(client, member_of, Role.HR_ANALYST)
    response = client.get(url("targets_ser_pdf", demo, 2025))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    pdf = response.content
    assert pdf.startswith(b"%PDF")
    assert is_tagged(pdf)
    # Text is extractable: the fonts carry a ToUnicode map.
    assert b"/ToUnicode" in pdf_objects(pdf)


@pytest.mark.django_db
def test_hr_saves_the_financial_year_and_why_a_target_was_not_met(client, demo, member_of):
    login(client, member_of, Role.HR_ANALYST)
    board = Target.objects.get(organisation=demo, population="board")
    response = client.post(
        url("targets_ser_save", demo, 2025),
        {
            "fy_end_month": "12",
            "fy_end_day": "31",
            "count_other": "on",
            f"why_{board.pk}": "Geen zetel kwam vrij.",
        },  # fmt: skip
    )
    assert response.status_code == 302
    assert ReportSettings.objects.get(organisation=demo).count_other_with_underrepresented
    assert TargetExplanation.objects.get(target=board, year=2025).text == "Geen zetel kwam vrij."
    html = client.get(url("targets_ser", demo, 2025)).content.decode()
    assert "Geen zetel kwam vrij." in html


@pytest.mark.django_db
def test_the_works_council_reads_and_downloads_but_cannot_change_anything(client, demo, member_of):
    login(client, member_of, Role.WORKS_COUNCIL)
    html = client.get(url("targets_ser", demo, 2025)).content.decode()
    assert "niet getoond buiten HR" in html
    assert 'name="why_' not in html
    assert "targets_ser_save" not in html
    assert client.get(url("targets_ser_csv", demo, 2025)).status_code == 200
    before = ReportSettings.objects.count(), TargetExplanation.objects.count()
    board = Target.objects.get(organisation=demo, population="board")
    response = client.post(
        url("targets_ser_save", demo, 2025),
        {"fy_end_month": "6", "fy_end_day": "30", f"why_{board.pk}": "x"},
    )
    assert response.status_code == 403
    assert (ReportSettings.objects.count(), TargetExplanation.objects.count()) == before
    for name in ("targets_new", "targets_subtop"):
        assert client.post(url(name, demo), {}).status_code == 403
    assert Target.objects.for_org(demo).count() == 7


@pytest.mark.django_db
def test_the_demo_report_says_why_the_board_target_was_not_met(demo):
    year = default_year(demo)
    report = build_report(demo, year, hr=True)
    board = next(b for b in report.boards if b.key == "board")
    assert board.met is False
    assert "bestuurszetel" in board.why_not
    assert "bestuurszetel" in ser.draft_paragraph(report, "nl")


def test_without_a_snapshot_after_year_end_the_latest_one_counts_on_its_own_date(small):
    report = build_report(small, 2026, hr=True)
    assert report.source_date == dt.date(2026, 3, 31) < report.fy_end
    subtop = next(b for b in report.boards if b.key == "subtop")
    assert (subtop.women, subtop.men) == (5, 6)  # the woman hired in February 2026 is in
    draft = ser.draft_paragraph(report, "en")
    assert "On 31 March 2026, the sub-top 'Leiding' had 5 women and 6 men" in draft


def test_each_measure_of_the_plan_is_a_csv_row_with_status_owner_and_due_date():
    report = ser.SerReport(
        organisation="X",
        year=2025,
        fy_start=dt.date(2025, 1, 1),
        fy_end=YEAR_END,
        deadline=dt.date(2026, 10, 31),
        count_other=False,
        source_date=None,
        bodies=(ser.Body("employees", "werknemers", "employees", None, None, None),),
        measures=ser.measures_of(
            [
                PlanLine("Mentoring", "HR", None, dt.date(2026, 1, 31), "done", "Klaar", "", False),
                PlanLine("Gestopt", "", None, None, "stopped", "Gestopt", "", False),
            ]
        ),
    )
    rows = ser.csv_rows(report)
    assert all(len(r) == len(ser.CSV_HEADER) for r in rows)
    assert rows[-1][1:3] == ["plan van aanpak", "Mentoring"]
    assert rows[-1][3:11] == [""] * 8
    assert rows[-1][11] == "Klaar; HR; 2026-01-31"
    assert "Gestopt" not in {r[2] for r in rows}  # a stopped action is no measure taken
