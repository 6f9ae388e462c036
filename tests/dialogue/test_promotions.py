"""The calculator's promotion rates of part-time and full-time staff, against a hand
computation on a small organisation, and who sees them on the public page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import pytest
from django.urls import reverse

from koers.dialogue.promotions import promotion_by_hours
from koers.organisations.models import Role
from koers.scan.models import Snapshot
from koers.scan.report import build_context
from koers.scan.storage import encode_frame

START, END = dt.date(2024, 12, 31), dt.date(2025, 12, 31)  # the fixed period 2025


def _person(i: int, hours: float, promoted: str | None, **extra: Any) -> dict[str, Any]:
    return {
        "employee_id": f"p{i}",
        "gender": "female" if i % 2 else "male",
        "hire_date": extra.get("hire", "2020-01-01"),
        "exit_date": extra.get("exit"),
        "management_layer": extra.get("layer", "none"),
        "job_family": "Staf",  # the columns a real snapshot has, so the scan can run
        "birth_year": 1980.0,
        "education": "hbo",
        "is_technical": False,
        "annual_variable_pay": 0.0,
        "training_spend": 0.0,
        "job_level": "5",
        "hours_per_week": hours,
        "annual_base_salary": 50000.0,
        "last_promotion_date": promoted,
    }


def small_org(part_time_promoted: int = 5) -> pd.DataFrame:
    """12 part-timers and 20 full-timers in service on 31 December 2024, and people who
    must not count: promoted in 2024, hired in 2025, gone before 2025, the supervisory
    board."""
    people = []
    for i in range(12):  # 24 or 32 hours: part-time (< 35)
        promoted = "2025-04-01" if i < part_time_promoted else None
        people.append(_person(i, 24.0 if i % 2 else 32.0, promoted))
    for i in range(12, 32):  # 36 or 40 hours: full-time
        promoted = "2025-09-15" if i < 18 else ("2024-06-01" if i == 18 else None)
        people.append(_person(i, 36.0 if i % 2 else 40.0, promoted))
    people.append(_person(40, 24.0, "2025-10-01", hire="2025-03-01"))  # hired in the period
    people.append(_person(41, 40.0, "2025-02-01", exit="2024-06-30"))  # gone before
    people.append(_person(42, 4.0, "2025-02-01", layer="supervisory_board"))
    frame = pd.DataFrame(people)
    for column in ("hire_date", "exit_date", "last_promotion_date"):
        frame[column] = pd.to_datetime(frame[column])
    return frame


def test_the_rates_match_a_hand_computation() -> None:
    # Part-time: 5 of 12 promoted in 2025 = 0.4167; full-time: 6 of 20 = 0.30 (the one
    # promoted in 2024, the new hire, the leaver and the board member do not count).
    result = promotion_by_hours(small_org(), START, END, hr=True, k=5)
    assert result is not None
    part, full = result["groups"]["part_time"], result["groups"]["full_time"]
    assert (part["n"], part["promoted"], full["n"], full["promoted"]) == (12, 5, 20, 6)
    assert part["rate"] == pytest.approx(5 / 12)
    assert full["rate"] == pytest.approx(0.30)


def test_outside_hr_nothing_of_the_table_is_shown_for_hr_everything() -> None:
    # Outside HR the table is withheld whole, also where every cell is 5 or more
    # (beside the scan it would subtract: test_promotions_across_pages.py).
    for size in (4, 5):
        hidden = promotion_by_hours(small_org(size), START, END, hr=False, k=5)
        assert hidden is not None
        assert all(v is None for g in hidden["groups"].values() for v in g.values())
    full = promotion_by_hours(small_org(4), START, END, hr=True, k=5)
    assert full is not None
    assert full["groups"]["part_time"]["rate"] == pytest.approx(4 / 12)


def test_without_promotion_dates_there_is_nothing() -> None:
    frame = small_org().drop(columns=["last_promotion_date"])
    assert promotion_by_hours(frame, START, END, hr=True, k=5) is None


def _snapshot(org: Any, frame: pd.DataFrame) -> None:
    Snapshot.objects.create(
        organisation=org,
        reference_date=dt.date(2026, 6, 30),
        data=encode_frame(frame),
        columns=list(frame.columns),
        n_rows=len(frame),
    )


@pytest.mark.django_db
def test_the_public_calculator_shows_the_rates_only_to_members_who_may_see_the_scan(
    client: Any, org_a: Any, member_of: Any
) -> None:
    _snapshot(org_a, small_org())
    url = reverse("dialogue_costs")
    assert "Promotie bij" not in client.get(url).content.decode()  # anonymous: nothing
    client.force_login(member_of(Role.CONFIDENTIAL_ADVISER))  # no scan.view
    assert "Promotie bij" not in client.get(url).content.decode()
    client.force_login(member_of(Role.HR_ANALYST))
    html = client.get(url).content.decode()
    assert "Promotie bij Alpha" in html
    assert "42%" in html
    assert "30%" in html
    client.force_login(member_of(Role.MANAGER))
    html = client.get(url).content.decode()
    assert "Promotie bij Alpha" in html
    # Beside the scan the promotions would subtract: the manager's scan shows 13
    # promotions in 2025 (everyone with a promotion date in 2025), the calculator 5 + 6 of
    # the people in service on 1 January, so 13 - 5 - 6 = 2 people: the one hired in 2025
    # and the one gone before it (test_promotions_across_pages.py).
    shared = build_context(small_org(), dt.date(2026, 6, 30), hr=False, k=5)
    assert shared["flows"]["totals"]["promotions"] == 13
    assert "42%" not in html
    assert "30%" not in html


@pytest.mark.django_db
def test_a_manager_sees_dashes_where_a_group_is_too_small(
    client: Any, org_a: Any, member_of: Any
) -> None:
    _snapshot(org_a, small_org(4))
    client.force_login(member_of(Role.MANAGER))
    html = client.get(reverse("dialogue_costs")).content.decode()
    assert "Promotie bij Alpha" in html
    assert "33%" not in html
    assert "30%" not in html
