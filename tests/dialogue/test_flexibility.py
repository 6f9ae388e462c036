"""The fair-flexibility register: who records, what everyone sees (aggregates only), the
recorder's own rows, retention, the organisation export, and the inclusion results page."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from koers.dialogue import flexibility
from koers.dialogue.demo import load_demo_flexibility
from koers.dialogue.models import FlexRelease, FlexRequest
from koers.organisations.models import Role
from koers.organisations.retention import enforce

DAY = dt.date(2026, 5, 12)


def _url(name: str, **kwargs: Any) -> str:
    return reverse(name, kwargs={"org": "alpha", **kwargs})


def _form(**data: Any) -> dict[str, Any]:
    return {
        "team": "Data",
        "kind": "hours",
        "outcome": "granted",
        "reason": "care",
        "gender": "female",
        "decided_on": DAY.isoformat(),
        "note": "",
        **data,
    }


def _many(org: Any, n: int, *, team: str = "Data", gender: str = "female", granted: bool = True):
    FlexRequest.objects.bulk_create(
        FlexRequest(
            organisation=org,
            team=team,
            kind="place",
            outcome="granted" if granted else "refused",
            reason="fits_work" if granted else "operations",
            gender=gender,
            decided_on=DAY,
        )
        for _ in range(n)
    )


@pytest.mark.django_db
def test_a_manager_records_a_decision_without_a_name(client, member_of, org_a) -> None:
    manager = member_of(Role.MANAGER)
    client.force_login(manager)
    response = client.post(_url("dialogue_flex_record"), _form(note="na overleg in juni"))
    assert response.status_code == 302
    row = FlexRequest.objects.get()
    assert (row.team, row.kind, row.outcome, row.gender, row.recorded_by) == (
        "Data",
        "hours",
        "granted",
        "female",
        manager,
    )
    # The row's columns: nothing that names the person who asked.
    names = {f.name for f in FlexRequest._meta.concrete_fields}
    assert names == {
        "id",
        "organisation",
        "team",
        "kind",
        "outcome",
        "reason",
        "note",
        "gender",
        "decided_on",
        "recorded_by",
        "created",
    }


@pytest.mark.django_db
def test_a_refusal_needs_a_refusal_reason(client, member_of) -> None:
    client.force_login(member_of(Role.HR_ANALYST))
    response = client.post(_url("dialogue_flex_record"), _form(outcome="refused", reason="care"))
    assert response.status_code == 400
    assert not FlexRequest.objects.exists()
    ok = client.post(_url("dialogue_flex_record"), _form(outcome="refused", reason="cost"))
    assert ok.status_code == 302


@pytest.mark.django_db
def test_the_works_council_sees_totals_but_no_request_and_no_note(client, member_of, org_a):
    _many(org_a, 12, gender="female")
    _many(org_a, 7, gender="male")
    _many(org_a, 6, gender="male", granted=False)
    FlexRequest.objects.create(
        organisation=org_a,
        team="Data",
        kind="hours",
        outcome="refused",
        reason="cost",
        gender="other",
        decided_on=DAY,
        note="GEHEIME-NOTITIE",
    )
    client.force_login(member_of(Role.WORKS_COUNCIL))
    page = client.get(_url("dialogue_flex"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "GEHEIME-NOTITIE" not in html
    assert "Een besluit vastleggen" not in html  # no recording for the works council
    result, _reasons = flexibility.figures(org_a, 2026)
    rows = {r.key: r for r in result.by_gender.rows}
    assert rows["other"].n is None  # one request: hidden, and a second cell with it
    assert sum(r.refused is None for r in result.by_gender.rows) >= 2
    assert result.by_kind.total.n == 26


@pytest.mark.django_db
def test_only_the_recorder_sees_and_removes_their_rows(client, member_of, org_a) -> None:
    first, second = member_of(Role.MANAGER), member_of(Role.HR_ANALYST)
    client.force_login(first)
    client.post(_url("dialogue_flex_record"), _form(note="EIGEN-NOTITIE"))
    row = FlexRequest.objects.get()
    assert "EIGEN-NOTITIE" in client.get(_url("dialogue_flex_record")).content.decode()
    client.force_login(second)
    assert "EIGEN-NOTITIE" not in client.get(_url("dialogue_flex_record")).content.decode()
    client.post(_url("dialogue_flex_delete", pk=row.pk))
    assert FlexRequest.objects.filter(pk=row.pk).exists()
    client.force_login(first)
    client.post(_url("dialogue_flex_delete", pk=row.pk))
    assert not FlexRequest.objects.exists()


@pytest.mark.django_db
def test_a_year_goes_whole_once_it_lies_36_months_back(org_a) -> None:
    _many(org_a, 6)  # decided 12 May 2026
    flexibility.figures(org_a, 2026)  # published
    assert FlexRelease.objects.count() == 1
    # 31 December 2029: the cutoff is 31 December 2026, part of 2026 is still inside.
    assert enforce(today=dt.date(2029, 12, 31))["dialogue_flexibility"] == 0
    assert enforce(today=dt.date(2030, 1, 1))["dialogue_flexibility"] == 6
    assert not FlexRequest.objects.exists()
    assert not FlexRelease.objects.exists()


@pytest.mark.django_db
def test_the_figures_move_only_when_k_requests_changed(client, member_of, org_a) -> None:
    _many(org_a, 10, gender="female")
    _many(org_a, 10, gender="male", granted=False)
    first, _ = flexibility.figures(org_a, 2026)
    assert first.by_kind.total.n == 20
    client.force_login(member_of(Role.MANAGER))
    for _ in range(4):  # k - 1 new decisions: the page does not move
        client.post(_url("dialogue_flex_record"), _form(outcome="refused", reason="cost"))
        again, _ = flexibility.figures(org_a, 2026)
        assert again == first
    client.post(_url("dialogue_flex_record"), _form(outcome="refused", reason="cost"))
    moved, _ = flexibility.figures(org_a, 2026)
    assert moved.by_kind.total.n == 25
    assert moved.by_kind.total.refused == 15


@pytest.mark.django_db
def test_the_organisation_export_counts_the_register_only(client, alice, org_a) -> None:
    _many(org_a, 3)
    client.force_login(alice)
    response = client.post(_url("organisation_data"), {"action": "export"})
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert json.loads(archive.read("dialogue.flexrequest.json")) == {"count": 3}


@pytest.mark.django_db
def test_the_demo_register_shows_figures_and_loads_once(client, alice, org_a) -> None:
    assert load_demo_flexibility(org_a)
    assert load_demo_flexibility(org_a) == ""
    assert FlexRequest.objects.filter(decided_on__year=2026).count() == 84
    client.force_login(alice)
    page = client.get(_url("dialogue_flex") + "?jaar=2026")
    assert page.status_code == 200
    assert "Klantenservice" in page.content.decode()
    grants = flexibility.flexibility_grants(org_a, dt.date(2026, 3, 31))
    assert grants is not None
    assert grants.year == 2026
    assert grants.n == 84
    assert grants.rate_all is not None
    assert flexibility.flexibility_grants(org_a, dt.date(2019, 1, 1)) is None


@pytest.mark.django_db
def test_the_register_page_takes_a_fixed_number_of_queries(
    client, alice, org_a, django_assert_max_num_queries
) -> None:
    load_demo_flexibility(org_a)
    client.force_login(alice)
    with django_assert_max_num_queries(12):
        assert client.get(_url("dialogue_flex")).status_code == 200


@pytest.mark.django_db
def test_the_inclusion_results_show_the_register_next_to_the_fairness_scale(
    client, member_of, org_a
) -> None:
    from koers.inclusion.demo import load_demo_inclusion

    load_demo_inclusion(org_a)
    client.force_login(member_of(Role.HR_ANALYST))
    url = reverse("inclusion_results", kwargs={"org": "alpha"})
    assert "flexibility-register" not in client.get(url).content.decode()  # no register yet
    load_demo_flexibility(org_a)
    html = client.get(url).content.decode()
    assert 'id="flexibility-register"' in html
    assert "?jaar=2026" in html  # the demo's second round closed in 2026


@pytest.mark.django_db
def test_a_decision_in_the_future_is_refused(client, member_of) -> None:
    client.force_login(member_of(Role.MANAGER))
    later = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    assert client.post(_url("dialogue_flex_record"), _form(decided_on=later)).status_code == 400
    assert not FlexRequest.objects.exists()
