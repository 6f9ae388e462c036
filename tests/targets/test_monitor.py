"""The yearly monitor: one column per yearly snapshot, targets against actual shares counted
by hand, the indicators as the scan trend shows them, the plan's status with late actions."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import pytest
from django.conf import settings
from django.urls import reverse

from koers.lib.hooks import PlanLine
from koers.organisations.models import Role
from koers.plan.demo import load_demo_plan
from koers.scan.demo import load_demo_scan
from koers.scan.models import Snapshot
from koers.stats.disclosure import Discloser
from koers.targets.demo import load_demo_targets
from koers.targets.inputs import PopulationInputs
from koers.targets.models import Target
from koers.targets.monitor import build_monitor, changed_too_few, plan_summary, target_cell
from tests.conftest import PASSWORD


@pytest.fixture
def demo(org_a: Any) -> Any:
    load_demo_scan(org_a)
    load_demo_targets(org_a)
    load_demo_plan(org_a)
    return org_a


def login(client: Any, member_of: Any, role: str) -> Any:
    user = member_of(role)
    client.login(username=user.username, password=PASSWORD)
    return user


def url(name: str, org: Any) -> str:
    return reverse(name, kwargs={"org": org.slug})


def _inputs(women: int, men: int, other: int = 0) -> PopulationInputs:
    return PopulationInputs(dt.date(2026, 6, 30), False, women, men, other, 0, None)


def test_a_cell_shows_the_share_and_whether_the_target_is_met():
    hr = Discloser(True, 5)
    cell = target_cell(_inputs(3, 7), 0.3, hr)
    assert (cell.women, cell.men, cell.share, cell.met) == (3, 7, 0.3, True)
    assert target_cell(_inputs(2, 8), 0.3, hr).met is False


def test_a_small_group_hides_its_counts_share_and_verdict_outside_hr():
    council = Discloser(False, 5)
    cell = target_cell(_inputs(1, 3), 0.4, council)
    assert cell.hidden
    assert cell.share is None
    assert cell.met is None
    assert not target_cell(_inputs(6, 9), 0.4, council).hidden
    assert not target_cell(_inputs(0, 9), 0.4, council).hidden  # no woman is not a small cell


def _line(status: str, due: dt.date | None, late: bool = False) -> PlanLine:
    return PlanLine("m", "", None, due, status, status, "", late)


def test_the_plan_summary_counts_by_status_and_puts_late_actions_first():
    lines = [
        _line("done", dt.date(2025, 3, 1)),
        _line("planned", dt.date(2025, 9, 1), late=True),
        _line("in_progress", dt.date(2026, 1, 1)),
        _line("stopped", None),
    ]
    summary = plan_summary(lines, [2025, 2026])
    assert summary["counts"] == {"planned": 1, "in_progress": 1, "done": 1, "stopped": 1}
    assert summary["n_late"] == 1
    assert summary["lines"][0].late
    assert summary["per_year"] == [
        {"year": 2025, "due": 2, "done": 1, "late": 1},
        {"year": 2026, "due": 1, "done": 0, "late": 0},
    ]


@pytest.mark.django_db
def test_the_demo_monitor_has_three_yearly_columns_with_actual_shares_counted_by_hand(demo):
    m = build_monitor(demo, hr=True, lang="nl")
    assert [s.reference_date.year for s in m["snapshots"]] == [2024, 2025, 2026]
    row = next(r for r in m["targets"] if r["target"].population == "job_level")
    for snapshot, cell in zip(m["snapshots"], row["cells"], strict=True):
        frame = Snapshot.objects.get(pk=snapshot.pk).frame()
        ref = snapshot.reference_date
        hired = frame["hire_date"].astype("datetime64[ns]") <= ref.isoformat()
        exit_ = frame["exit_date"].astype("datetime64[ns]")
        in_service = hired & (exit_.isna() | (exit_ >= ref.isoformat()))
        level = frame["job_level"].astype(str) == "10"
        staff = frame["management_layer"].fillna("").astype(str) != "supervisory_board"
        people = frame[in_service & level & staff]
        women = int((people["gender"] == "female").sum())
        men = int((people["gender"] == "male").sum())
        assert (cell.women, cell.men) == (women, men)
    shares = [c.share for c in row["cells"]]
    assert shares == sorted(shares)  # the demo's trend: more women each year
    assert m["plan"]["n_late"] == 2
    keys = [f["key"] for f in m["indicators"]]
    assert keys[:2] == ["n_staff", "female_share"]
    assert "mean_gap_pct" in keys


@pytest.mark.django_db
def test_the_works_council_reads_the_monitor_with_small_groups_hidden_and_late_actions(
    client, demo, member_of
):
    login(client, member_of, Role.WORKS_COUNCIL)
    page = client.get(url("targets_monitor", demo))
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count('<th scope="col" class="num">30-6-') == 6  # two tables × 3 years
    assert "niet getoond" in html  # the board is under k
    assert "te laat" in html
    assert "plan-late" in html
    assert "Loonkloof, gemiddeld uurloon" in html
    assert "Streefcijfer toevoegen" not in html


@pytest.mark.django_db
def test_the_monitor_needs_few_queries(client, demo, member_of, django_assert_max_num_queries):
    login(client, member_of, Role.HR_ANALYST)
    client.get(url("targets_monitor", demo))  # reports cached, as after any scan page
    with django_assert_max_num_queries(10):
        assert client.get(url("targets_monitor", demo)).status_code == 200


@pytest.mark.django_db
def test_without_a_scan_the_monitor_says_so(client, org_a, member_of):
    login(client, member_of, Role.HR_ANALYST)
    html = client.get(url("targets_monitor", org_a)).content.decode()
    assert "Er is nog geen nulmeting" in html
    assert Target.objects.count() == 0
    assert settings.KOERS_MIN_GROUP_SIZE == 5


def test_a_change_of_fewer_than_k_people_between_years_is_hidden_outside_hr():
    a = (frozenset({"w1", "w2"}), frozenset({"m1"}))
    assert changed_too_few(a, (frozenset({"w1"}), frozenset({"m1"})), 5)  # one woman left
    assert not changed_too_few(a, a, 5)  # nobody changed: nothing new is learnt
    many = (frozenset({"w1", "w2"}), frozenset({f"m{i}" for i in range(1, 7)}))
    assert not changed_too_few(a, many, 5)  # five men joined, no woman changed


@pytest.mark.django_db
def test_the_works_council_cannot_difference_two_years_down_to_one_person(db, org_a):
    from koers.scan.services import store_snapshot
    from tests.targets.test_ser import _small_org

    frame = _small_org()
    store_snapshot(org_a, dt.date(2025, 3, 31), frame)
    # A year later one man of level 5 has left; nothing else changed.
    later = frame.copy()
    leaver = later.index[(later["job_level"] == "5") & (later["gender"] == "male")][0]
    later.loc[leaver, "exit_date"] = pd.Timestamp("2025-09-30")
    store_snapshot(org_a, dt.date(2026, 3, 31), later)
    Target.objects.create(organisation=org_a, population="job_level", job_level="5",
                          target_share=40, target_year=2030)  # fmt: skip
    council = build_monitor(org_a, hr=False, lang="nl")["targets"][0]["cells"]
    assert not council[0].hidden
    assert council[1].hidden
    hr = build_monitor(org_a, hr=True, lang="nl")["targets"][0]["cells"]
    assert (hr[0].men, hr[1].men) == (20, 19)
