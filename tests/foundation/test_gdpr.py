"""GDPR: respondents download and delete their data; an organisation exports everything and can
be deleted; retention periods are enforced; who viewed what is in the audit log."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from typing import Any

import pytest
from django.urls import reverse
from tests.surveys.conftest import open_link

from koers.jobs.models import Job
from koers.organisations.models import AuditEvent, Organisation, Role
from koers.organisations.retention import enforce, months_before
from koers.surveys import services
from koers.surveys.models import Campaign, Response


@pytest.fixture
def campaign(org_a: Any) -> Campaign:
    from koers.instruments import get_instrument

    compass = get_instrument("career_compass")
    return Campaign.objects.create(
        organisation=org_a, name="K", instrument_key=compass.key, instrument_version=compass.version
    )


def _finished(campaign: Campaign) -> services.Started:
    started = services.start_open_response(campaign, "nl")
    instrument = campaign.instrument()
    services.save_answer(started.response, instrument, "title", "engineer", 0)
    services.finish_response(started.response, started.secret)
    return started


def test_a_respondent_downloads_their_own_data(client: Any, campaign: Campaign) -> None:
    started = _finished(campaign)
    response = client.get(
        reverse("respond_my_data", kwargs={"slot": open_link(client, started.secret)})
    )
    data = json.loads(response.content)
    assert data["answers"] == {"title": "engineer"}
    assert data["campaign"] == "K"
    assert "profile" in data


def test_an_organisation_exports_everything_but_individual_answers(
    client: Any, alice: Any, campaign: Campaign
) -> None:
    _finished(campaign)
    Job.objects.create(organisation=campaign.organisation, kind="selfcheck")
    client.force_login(alice)
    response = client.post(
        reverse("organisation_data", kwargs={"org": "alpha"}), {"action": "export"}
    )
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = set(archive.namelist())
    assert {"organisation.json", "members.json", "surveys.campaign.json", "jobs.job.json"} <= names
    assert not any("answer" in name or "response" in name for name in names)
    members = json.loads(archive.read("members.json"))
    assert members == [
        {"email": "alice@alpha.example", "role": "admin", "since": members[0]["since"]}
    ]
    assert AuditEvent.objects.filter(action="organisation.export").exists()


def test_deleting_an_organisation_needs_its_exact_name(
    client: Any, alice: Any, campaign: Campaign, org_b: Organisation
) -> None:
    _finished(campaign)
    client.force_login(alice)
    url = reverse("organisation_data", kwargs={"org": "alpha"})
    assert client.post(url, {"action": "delete", "confirm_name": "alpha"}).status_code == 400
    client.post(url, {"action": "delete", "confirm_name": "Alpha Engineering"})
    assert not Organisation.objects.filter(slug="alpha").exists()
    assert not Response.objects.exists()
    assert Organisation.objects.filter(slug="beta").exists()  # nobody else's data touched


def test_only_the_admin_exports_or_deletes(client: Any, member_of: Any) -> None:
    client.force_login(member_of(Role.HR_ANALYST))
    url = reverse("organisation_data", kwargs={"org": "alpha"})
    assert client.post(url, {"action": "export"}).status_code == 403


def test_answers_are_deleted_24_months_after_the_campaign_closed(campaign: Campaign) -> None:
    _finished(campaign)
    campaign.closed, campaign.closed_on = True, dt.date(2024, 1, 10)
    campaign.save()
    assert enforce(today=dt.date(2026, 1, 9))["survey_answers"] == 0
    assert Response.objects.count() == 1
    assert enforce(today=dt.date(2026, 1, 11))["survey_answers"] == 1
    assert Response.objects.count() == 0


def test_the_retention_period_is_configurable(settings: Any, campaign: Campaign) -> None:
    settings.KOERS_RETAIN_ANSWERS_MONTHS = 6
    _finished(campaign)
    campaign.closed_on = dt.date(2026, 1, 1)
    campaign.save()
    assert enforce(today=dt.date(2026, 7, 2))["survey_answers"] == 1


def test_audit_events_older_than_two_years_are_deleted(org_a: Any) -> None:
    old = AuditEvent.objects.create(organisation=org_a, action="scan.view")
    AuditEvent.objects.filter(pk=old.pk).update(created=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    AuditEvent.objects.create(organisation=org_a, action="scan.view")
    assert enforce()["audit_log"] == 1
    assert AuditEvent.objects.count() == 1


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2026, 3, 31), 1, dt.date(2026, 2, 28)),
        (dt.date(2026, 1, 15), 24, dt.date(2024, 1, 15)),
    ],
)
def test_months_before(day: dt.date, months: int, expected: dt.date) -> None:
    assert months_before(day, months) == expected


def test_viewing_the_team_scan_is_logged_and_shown_to_the_admin(
    client: Any, alice: Any, member_of: Any, campaign: Campaign
) -> None:
    manager = member_of(Role.MANAGER)
    client.force_login(manager)
    client.get(reverse("compass_scan", kwargs={"org": "alpha", "pk": campaign.pk}))
    event = AuditEvent.objects.get(action="teamscan.view")
    assert event.user == manager
    assert client.get(reverse("audit_log", kwargs={"org": "alpha"})).status_code == 403
    client.force_login(alice)
    page = client.get(reverse("audit_log", kwargs={"org": "alpha"})).content.decode()
    assert "teamscan.view" in page
    assert manager.email in page
