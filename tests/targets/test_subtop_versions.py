"""A changed sub-top definition is a break in the trend: each year is counted with the
definition valid on its reference date, the break is marked (chart, table, text, nl + en),
and every year is recounted with today's definition beside it.

The organisation below is counted by hand (three year-end snapshots of one file):

=========================  ======  ======  ======
                            2024    2025    2026
=========================  ======  ======  ======
level 12 women / men        3 / 7   4 / 6   5 / 6
level 11 women / men        6 / 4   6 / 4   5 / 4
=========================  ======  ======  ======

Sub-top "Leiding": version 1 is level 12 (from the beginning), version 2 (valid from
1-1-2026) levels 11 and 12. Counted as each year's definition was: 3/10 = 30 %, 4/10 = 40 %,
10/20 = 50 %, with a break in 2026; recounted with version 2: 9/20 = 45 %, 10/20 = 50 %,
10/20 = 50 %.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pandas as pd
import pytest
from django.urls import reverse

from koers.organisations.models import Role
from koers.scan.services import store_snapshot
from koers.targets.models import SubTopDefinition, Target
from koers.targets.monitor import build_monitor, programme_day
from koers.targets.reporting import build_report
from koers.targets.versions import Version, breaks, version_on
from tests.conftest import PASSWORD
from tests.targets.test_ser import _person

DAYS = [dt.date(2024, 12, 31), dt.date(2025, 12, 31), dt.date(2026, 12, 31)]


def _klein() -> pd.DataFrame:
    people: list[dict[str, Any]] = []

    def add(n: int, gender: str, level: str, **kwargs: Any) -> None:
        for _ in range(n):
            people.append(_person(len(people), gender, level, **kwargs))

    add(3, "female", "12")
    add(6, "male", "12")
    add(1, "male", "12", left="2025-06-30")
    add(1, "female", "12", hired="2025-03-01")
    add(1, "female", "12", hired="2026-02-01")
    add(5, "female", "11")
    add(1, "female", "11", left="2026-05-01")
    add(4, "male", "11")
    add(8, "male", "5")  # outside the sub-top under either definition
    return pd.DataFrame(people)


@pytest.fixture
def klein(db, org_a):
    frame = _klein()
    for day in DAYS:
        store_snapshot(org_a, day, frame)
    SubTopDefinition.objects.create(organisation=org_a, name="Leiding", version=1,
                                    job_levels=["12"])  # fmt: skip
    SubTopDefinition.objects.create(
        organisation=org_a,
        name="Leiding",
        version=2,
        job_levels=["11", "12"],
        valid_from=dt.date(2026, 1, 1),
    )
    Target.objects.create(organisation=org_a, population="subtop", subtop_name="Leiding",
                          target_share=Decimal(50), target_year=2028)  # fmt: skip
    return org_a


def test_each_day_is_counted_with_the_version_valid_on_it():
    v1 = Version(1, None, ("12",))
    v2 = Version(2, dt.date(2026, 1, 1), ("11", "12"))
    v3 = Version(3, dt.date(2027, 7, 1), ("10",))
    versions = [v1, v2, v3]
    assert version_on(versions, dt.date(2025, 12, 31)) == v1
    assert version_on(versions, dt.date(2026, 1, 1)) == v2  # the first day counts
    assert version_on(versions, dt.date(2027, 6, 30)) == v2
    assert version_on(versions, dt.date(2030, 1, 1)) == v3
    # A first version with a start date still counts the years before it: no other existed.
    dated = Version(1, dt.date(2026, 1, 1), ("12",))
    assert version_on([dated], dt.date(2024, 12, 31)) == dated
    assert version_on([], dt.date(2024, 12, 31)) is None
    # The same start: the higher version wins.
    again = Version(4, dt.date(2026, 1, 1), ("13",))
    assert version_on([v1, v2, again], dt.date(2026, 6, 30)) == again
    assert breaks([v1, v1, v2, v2, None, v3]) == [False, False, True, False, False, False]


@pytest.mark.django_db
def test_the_monitor_counts_each_year_with_its_own_definition_and_recounts_beside_it(klein):
    row = build_monitor(klein, hr=True, lang="nl")["targets"][0]
    assert [(c.women, c.men) for c in row["cells"]] == [(3, 7), (4, 6), (10, 10)]
    assert [c.share for c in row["cells"]] == [0.3, 0.4, 0.5]
    assert [v.version for v in row["versions"]] == [1, 1, 2]
    assert row["breaks"] == [False, False, True]
    assert [(ch["day"], ch["previous"].version, ch["version"].version)
            for ch in row["changes"]] == [(DAYS[2], 1, 2)]  # fmt: skip
    assert [(c.women, c.men) for c in row["recount"]] == [(9, 11), (10, 10), (10, 10)]
    assert [c.share for c in row["recount"]] == [0.45, 0.5, 0.5]
    chart = row["chart"]
    assert [b["year"] for b in chart["breaks"]] == [2026]
    assert chart["breaks"][0]["version"] == 2
    assert chart["keys"] == ["counted", "recounted"]


@pytest.mark.django_db
def test_without_a_changed_definition_there_is_no_break_and_no_recount(klein):
    SubTopDefinition.objects.filter(version=2).delete()
    row = build_monitor(klein, hr=True, lang="nl")["targets"][0]
    assert [(c.women, c.men) for c in row["cells"]] == [(3, 7), (4, 6), (5, 6)]
    assert row["breaks"] == [False, False, False]
    assert row["recount"] is None
    assert row["chart"]["breaks"] == []


@pytest.mark.django_db
def test_the_programme_day_shows_the_change_across_the_break_and_recounted(klein):
    day = programme_day(build_monitor(klein, hr=True, lang="nl"))
    t = day["targets"][0]
    assert t["break"]
    assert t["change"] == pytest.approx(20.0)  # 30 % → 50 %, partly the new definition
    assert t["recount_change"] == pytest.approx(5.0)  # 45 % → 50 % with version 2 throughout


@pytest.mark.django_db
def test_the_ser_report_counts_each_year_with_the_definition_valid_at_its_end(klein):
    def subtop(year: int) -> tuple[int | None, int | None]:
        body = next(b for b in build_report(klein, year, hr=True).bodies if b.key == "subtop")
        return body.women, body.men

    assert subtop(2025) == (4, 6)  # version 1
    assert subtop(2026) == (10, 10)  # version 2


@pytest.mark.django_db
def test_outside_hr_a_recount_that_differs_by_a_few_people_is_hidden(klein):
    row = build_monitor(klein, hr=False, lang="nl")["targets"][0]
    # 3 women under version 1 in 2024: a small cell; its recount differs by 4 men (< k).
    assert row["cells"][0].hidden
    assert row["recount"][0].hidden
    assert not row["cells"][2].hidden  # 10 and 10
    # 2025 recounted differs from 2026 by two women: hidden; 2026 is the same people.
    assert row["recount"][1].hidden
    assert (row["recount"][2].women, row["recount"][2].men) == (10, 10)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("nl", ["breuk: nieuwe definitie (versie 2)", "Breuk in de trend",
                "herteld met de huidige definitie (versie 2)", "breuk in de trend, vanaf dan"]),
        ("en", ["break: new definition (version 2)", "Break in the trend",
                "recounted with today’s definition (version 2)", "break in the trend, from then"]),
    ],
)  # fmt: skip
def test_the_monitor_page_marks_the_break_in_table_chart_and_words(
    client, klein, member_of, lang, words
):
    user = member_of(Role.HR_ANALYST)
    client.login(username=user.username, password=PASSWORD)
    url = reverse("targets_monitor", kwargs={"org": klein.slug})
    html = client.get(url, HTTP_ACCEPT_LANGUAGE=lang).content.decode()
    for word in words:
        assert word in html, word
    assert 'class="trend-break"' in html  # the marker line in the chart
    assert 'class="num trend-break"' in html  # the marked table column
    day = reverse("targets_programme_day", kwargs={"org": klein.slug})
    html = client.get(day, HTTP_ACCEPT_LANGUAGE=lang).content.decode()
    assert words[1] in html


@pytest.mark.django_db
def test_a_new_version_can_be_given_the_date_it_counts_from(client, org_a, member_of):
    user = member_of(Role.HR_ANALYST)
    client.login(username=user.username, password=PASSWORD)
    url = reverse("targets_subtop", kwargs={"org": org_a.slug})
    client.post(url, {"name": "L", "job_levels": "12", "job_families": "", "valid_from": ""})
    client.post(url, {"name": "L", "job_levels": "11, 12", "job_families": "",
                      "valid_from": "01-01-2026"})  # fmt: skip
    v1, v2 = SubTopDefinition.objects.for_org(org_a).order_by("version")
    assert v1.applies_from() is None
    assert v2.applies_from() == dt.date(2026, 1, 1)
    html = client.get(url).content.decode()
    assert "alle jaren" in html


@pytest.mark.django_db
def test_the_demo_shows_a_break_in_the_sub_top_trend_in_2026(org_a):
    from koers.plan.demo import load_demo_plan
    from koers.scan.demo import load_demo_scan
    from koers.targets.demo import load_demo_targets

    load_demo_scan(org_a)
    load_demo_targets(org_a)
    load_demo_plan(org_a)
    rows = [r for r in build_monitor(org_a, hr=True, lang="nl")["targets"]
            if r["target"].population == "subtop"]  # fmt: skip
    assert rows
    for row in rows:
        assert row["breaks"] == [False, False, True]
        assert row["recount"] is not None
        assert row["recount"][-1] == row["cells"][-1]  # 2026 is counted with today's already
