"""The HR home page shows the organisation's state and what to do next, nothing for developers."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from koers.hrfile import check_for_import, parse_employees, read_table, suggest_mapping
from koers.organisations.models import Role
from koers.scan.demo import dutch_export, generate_rows
from koers.scan.services import store_snapshot
from koers.surveys.models import Campaign


def _text(response: Any) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def _snapshot(org: Any, day: dt.date) -> Any:
    raw = read_table(dutch_export(generate_rows(40, seed=3, reference_date=day)), filename="x.csv")
    checked = check_for_import(parse_employees(raw, suggest_mapping(raw.headers)), day)
    return store_snapshot(org, day, checked.employees, filename="x.csv")


@pytest.fixture
def hr(client: Any, member_of: Any) -> Any:
    client.force_login(member_of(Role.HR_ANALYST))
    return client


def _home(client: Any) -> str:
    return _text(client.get(reverse("dashboard", kwargs={"org": "alpha"})))


def test_without_a_baseline_the_home_page_says_to_upload_and_offers_no_job_queue(hr: Any) -> None:
    text = _home(hr)
    assert "Er is nog geen nulmeting" in text
    assert "Upload je HR-gegevens voor de eerste nulmeting" in text
    assert "takenwachtrij" not in text
    assert "Achtergrondtaken" not in text
    assert "Start een Carrière Kompas-campagne" in text


def test_with_a_baseline_the_home_page_shows_it_and_points_at_its_findings(
    hr: Any, org_a: Any
) -> None:
    day = timezone.localdate() - dt.timedelta(days=30)
    snapshot = _snapshot(org_a, day)
    response = hr.get(reverse("dashboard", kwargs={"org": "alpha"}))
    text = _text(response)
    assert "Upload je HR-gegevens" not in text
    assert "Er is nog geen nulmeting" not in text
    assert f"{snapshot.n_rows} rijen" in text
    assert "Meer dan een jaar oud" not in text
    link = reverse("scan_snapshot", kwargs={"org": "alpha", "pk": snapshot.pk})
    assert f'href="{link}#verbeterpunten"' in response.content.decode()


def test_an_old_baseline_asks_for_a_new_upload(hr: Any, org_a: Any) -> None:
    _snapshot(org_a, timezone.localdate() - dt.timedelta(days=400))
    text = _home(hr)
    assert "Meer dan een jaar oud" in text
    assert "Upload een nieuw HR-bestand" in text


def test_open_campaigns_are_listed_with_how_many_finished(hr: Any, org_a: Any) -> None:
    Campaign.objects.create(
        organisation=org_a, name="Voorjaar 2026", instrument_key="compass", instrument_version=1
    )
    Campaign.objects.create(
        organisation=org_a,
        name="Najaar 2019",
        instrument_key="compass",
        instrument_version=1,
        closed=True,
    )
    text = _home(hr)
    assert "1 open campagne" in text
    assert "Voorjaar 2026: 0 mensen klaar" in text
    assert "Najaar 2019" not in text  # a closed campaign is not listed
    assert "Start een Carrière Kompas-campagne" not in text


def test_a_manager_sees_no_hr_overview(client: Any, member_of: Any) -> None:
    client.force_login(member_of(Role.MANAGER))
    text = _home(client)
    assert "Wat nu?" not in text
