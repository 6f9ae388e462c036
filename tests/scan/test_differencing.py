"""Attacks by subtraction on the Gender Scan outside HR, performed through the pages.

Issue 11, items 2 and 5: a hidden cell recomputed from its row total; flows
differenced by moving the period one day; one new hire's pay differenced
from the mean gaps of two snapshots. HR roles still see everything.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from koers.hrfile import check_for_import, parse_employees, read_table, suggest_mapping
from koers.organisations.models import Role
from koers.scan.demo import dutch_export, generate_rows
from koers.scan.periods import default_fixed_period, fixed_periods
from koers.scan.services import store_snapshot
from tests.scan.conftest import REF, text_of
from tests.scan.test_disclosure_audit import _frame


def _employees(rows: list[dict[str, Any]], day: dt.date) -> Any:
    raw = read_table(dutch_export(rows), filename="x.csv")
    return check_for_import(parse_employees(raw, suggest_mapping(raw.headers)), day).employees


def _view(client: Any, user: Any, snapshot: Any, **params: str) -> Any:
    client.force_login(user)
    url = reverse("scan_snapshot", kwargs={"org": snapshot.organisation.slug, "pk": snapshot.pk})
    response = client.get(url, params)
    assert response.status_code == 200
    return response


@pytest.mark.parametrize("role", [Role.MANAGER, Role.WORKS_COUNCIL, Role.RESEARCHER])
def test_a_hidden_quartile_cell_cannot_be_subtracted_from_the_quartile_size(
    client: Any, member_of: Any, org_a: Any, role: str
) -> None:
    snapshot = store_snapshot(org_a, REF, _frame(2))
    r = _view(client, member_of(role), snapshot).context["r"]
    hidden = 0
    for q in r["pay"]["quartiles"]:
        for g, other in (("female", "male"), ("male", "female")):
            if q[f"n_{g}"] is None:
                hidden += 1
                # The attack: quartile n minus the other gender's cell.
                assert q["n"] is None or q[f"n_{other}"] is None, q
                assert q["female_share"] is None, q
    assert hidden  # this organisation has quartiles with fewer than 5 women
    hr = _view(client, member_of(Role.HR_ANALYST), snapshot).context["r"]
    assert all(q["n_female"] is not None for q in hr["pay"]["quartiles"])


def test_a_manager_cannot_move_the_flows_period_one_day_at_a_time(
    client: Any, bob: Any, org_a: Any, rows: list[dict[str, Any]]
) -> None:
    snapshot = store_snapshot(org_a, REF, _employees(rows, REF))
    day = dt.date(2026, 3, 1)
    first = _view(client, bob, snapshot, start="2025-06-30", end=day.isoformat())
    second = _view(
        client, bob, snapshot, start="2025-06-30", end=(day + dt.timedelta(days=1)).isoformat()
    )
    fixed = default_fixed_period(REF)
    for response in (first, second):
        flows = response.context["r"]["flows"]
        assert (flows["start"], flows["end"]) == (fixed.start, fixed.end)  # free dates refused
        assert "alleen per kalenderjaar of kwartaal" in text_of(response)
    assert first.context["r"]["flows"]["figures"] == second.context["r"]["flows"]["figures"]
    # The form offers calendar years and quarters that ended on or before the reference date.
    choices = dict(first.context["period_form"].fields["periode"].choices)
    assert set(choices) == {p.code for p in fixed_periods(REF)}
    assert all(p.end <= REF for p in fixed_periods(REF))
    quarter = _view(client, bob, snapshot, periode="2026-Q1").context["r"]["flows"]
    assert (quarter["start"], quarter["end"]) == (dt.date(2025, 12, 31), dt.date(2026, 3, 31))


def test_hr_still_chooses_any_period(client: Any, hr_user: Any, org_a: Any, rows: Any) -> None:
    snapshot = store_snapshot(org_a, REF, _employees(rows, REF))
    flows = _view(client, hr_user, snapshot, start="2025-06-30", end="2026-03-01").context["r"][
        "flows"
    ]
    assert (flows["start"], flows["end"]) == (dt.date(2025, 6, 30), dt.date(2026, 3, 1))


def _hire_pay_from_two_gaps(before: dict[str, Any], after: dict[str, Any]) -> float | None:
    """The attack: with the men unchanged, F = M × (1 − gap); the newcomer earns n₂F₂ − n₁F₁."""
    a1, a2 = before["pay"]["indicators"][0], after["pay"]["indicators"][0]
    if None in (a1["value"], a2["value"], a1["n_female"], a2["n_female"]):
        return None
    return a2["n_female"] * (1 - a2["value"] / 100) - a1["n_female"] * (1 - a1["value"] / 100)


def test_one_new_hire_between_two_snapshots_cannot_be_differenced(
    client: Any, member_of: Any, org_a: Any
) -> None:
    first_day = dt.date(2026, 3, 31)
    rows = generate_rows(160, seed=11, reference_date=first_day)
    store_snapshot(org_a, first_day, _employees(rows, first_day))
    newcomer = {
        **next(r for r in rows if r["gender"] == "V" and not r["exit_date"]),
        "employee_id": "99999",
        "hire_date": dt.date(2026, 5, 4),
        "annual_base_salary": 61234.56,
        "annual_variable_pay": 0.0,
        "hours_per_week": 40.0,
        "last_promotion_date": None,
    }
    second = store_snapshot(org_a, REF, _employees([*rows, newcomer], REF))
    from koers.scan.models import Snapshot

    first = Snapshot.objects.get(organisation=org_a, reference_date=first_day)
    hr_user = member_of(Role.HR_ANALYST)
    hr_before = _view(client, hr_user, first).context["r"]
    hr_after = _view(client, hr_user, second).context["r"]
    men = hr_after["pay"]["means"]["male"]["hourly"]
    assert hr_before["pay"]["means"]["male"]["hourly"] == pytest.approx(men)  # men unchanged
    # With HR's figures the attack works: her hourly pay relative to the men's mean.
    own = newcomer["annual_base_salary"] / (40 * 52) / men
    assert _hire_pay_from_two_gaps(hr_before, hr_after) == pytest.approx(own, rel=1e-6)
    for role in (Role.MANAGER, Role.WORKS_COUNCIL, Role.RESEARCHER):
        user = member_of(role)
        before = _view(client, user, first).context["r"]
        response = _view(client, user, second)
        after = response.context["r"]
        assert _hire_pay_from_two_gaps(before, after) is None
        assert after["pay"]["indicators"][0]["value"] is None
        assert after["population"]["counts"]["female"] is None  # +1 woman is not shown either
        assert after["since_previous"]["withheld"] == ["female"]
        assert "Sinds de vorige nulmeting" in text_of(response)
    assert hr_after["pay"]["indicators"][0]["value"] is not None


def test_a_snapshot_with_many_changes_is_shown_in_full(
    client: Any, bob: Any, org_a: Any, rows: list[dict[str, Any]]
) -> None:
    first_day = dt.date(2025, 12, 31)
    store_snapshot(org_a, first_day, _employees(rows, first_day))
    raised = [
        {**r, "annual_base_salary": round(r["annual_base_salary"] * 1.03, 2)}
        for r in rows
        if r.get("annual_base_salary")
    ]
    raised += [r for r in rows if not r.get("annual_base_salary")]
    second = store_snapshot(org_a, REF, _employees(raised, REF))
    r = _view(client, bob, second).context["r"]
    assert r["since_previous"]["withheld"] == []
    assert r["pay"]["indicators"][0]["value"] is not None
    assert r["population"]["counts"]["female"] is not None
