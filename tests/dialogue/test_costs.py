"""The cost-of-choices calculator against hand computations, and a page that keeps nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse

from koers.dialogue.costs import Assumptions, Choice, compute

D = Decimal


def test_four_days_for_three_years_costs_what_a_hand_computation_says() -> None:
    # Hand: 50,000 full time; 0.8 for 3 years; franchise 18,475; 1.75%; no growth.
    # Income: 3 x 10,000 = 30,000 less.
    # Pension base 31,525 full time, 25,220 at 0.8: 551.6875 vs 441.35 a year,
    # 110.3375 less per year of part-time work, 331.0125 a year of pension over three.
    outcome = compute(
        Choice(
            full_time_salary=D(50000),
            current_fraction=D(1),
            new_fraction=D("0.8"),
            years_fewer_hours=3,
            unpaid_leave_months=0,
            horizon_years=5,
            assumptions=Assumptions(D(18475), D("0.0175"), D(0)),
        )
    )
    assert outcome.gross_difference == D(-30000)
    assert outcome.pension_difference == D("-331.0125")
    assert outcome.years[0].accrual_current == D("551.6875")
    assert outcome.years[0].accrual_choice == D("441.35")
    assert outcome.years[3].gross_difference == 0  # back to full time in year 4


def test_three_months_unpaid_leave_with_growth_matches_a_hand_computation() -> None:
    # Hand: 40,000 at 0.9; three unpaid months in year 1; 2% real growth.
    # Year 1: 36,000 vs 27,000. Pension base (40,000 - 18,475) x 0.9 = 19,372.5;
    # accrual 339.01875 vs three quarters of it, 254.2640625: 84.7546875 less.
    # Year 2 (salary 40,800): no difference.
    outcome = compute(
        Choice(
            full_time_salary=D(40000),
            current_fraction=D("0.9"),
            new_fraction=D("0.9"),
            years_fewer_hours=0,
            unpaid_leave_months=3,
            horizon_years=2,
            assumptions=Assumptions(D(18475), D("0.0175"), D("0.02")),
        )
    )
    first, second = outcome.years
    assert (first.gross_current, first.gross_choice) == (D(36000), D(27000))
    assert first.accrual_difference == D("-84.7546875")
    assert second.gross_current == D(40800) * D("0.9")
    assert second.gross_difference == 0
    assert outcome.gross_difference == D(-9000)


def test_leave_longer_than_a_year_runs_into_the_next_year() -> None:
    outcome = compute(Choice(D(36000), D(1), D(1), 0, 18, 3, Assumptions(D(0), D("0.01"), D(0))))
    assert [y.gross_choice for y in outcome.years] == [D(0), D(18000), D(36000)]


def test_a_salary_under_the_franchise_accrues_nothing() -> None:
    outcome = compute(Choice(D(15000), D(1), D("0.5"), 1, 0, 1))
    assert outcome.years[0].accrual_current == 0
    assert outcome.pension_difference == 0


@pytest.mark.django_db
def test_the_page_computes_without_an_account_and_stores_nothing(client: Client) -> None:
    before = {m: m.objects.count() for m in apps.get_models()}
    response = client.post(
        reverse("dialogue_costs"),
        {
            "full_time_salary": "50000",
            "current_hours": "40",
            "new_hours": "32",
            "full_time_hours": "40",
            "years_fewer_hours": "3",
            "unpaid_leave_months": "0",
            "horizon_years": "5",
            "franchise": "18475",
            "accrual_rate": "1.75",
            "real_growth": "0",
        },
    )
    assert response.status_code == 200
    assert (
        response["Cache-Control"].startswith("max-age=0") or "no-store" in response["Cache-Control"]
    )
    page = response.content.decode()
    assert "30.000" in page or "30,000" in page
    assert "331" in page
    assert {m: m.objects.count() for m in apps.get_models()} == before


@pytest.mark.django_db
def test_the_page_shows_every_assumption_with_its_source(client: Client) -> None:
    page = client.get(reverse("dialogue_costs")).content.decode()
    for name in ("franchise", "accrual_rate", "real_growth"):
        assert f'name="{name}"' in page
    assert "art. 18a" in page
