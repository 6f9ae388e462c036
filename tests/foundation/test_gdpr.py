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


COUNTED = {"dialogue.answer.json", "dialogue.flexrequest.json", "dialogue.flexrelease.json"}


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
    # Individual answers are not in it; anonymous dialogue answers only as a count.
    assert not any("answer" in name or "response" in name for name in names - COUNTED)
    for name in COUNTED & names:
        assert set(json.loads(archive.read(name))) == {"count"}
    members = json.loads(archive.read("members.json"))
    assert members == [
        {"email": "alice@alpha.example", "role": "admin", "since": members[0]["since"]}
    ]
    assert AuditEvent.objects.filter(action="organisation.export").exists()


def test_the_export_carries_no_open_link(client: Any, alice: Any, campaign: Campaign) -> None:
    """The campaign's public link and the reporting box's form token stay out of the export:
    each opens a form that writes into the organisation."""
    from koers.reportbox import services as reportbox

    box = reportbox.box_of(campaign.organisation)
    client.force_login(alice)
    response = client.post(
        reverse("organisation_data", kwargs={"org": "alpha"}), {"action": "export"}
    )
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    everything = b"".join(archive.read(name) for name in archive.namelist())
    for token in (campaign.public_token, box.public_token):
        assert token
        assert token.encode() not in everything
    (row,) = json.loads(archive.read("surveys.campaign.json"))
    assert "public_token" not in row["fields"]
    assert row["fields"]["name"] == campaign.name


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
    assert "Teamscan bekeken" in page  # in words, not the stored code
    assert "teamscan.view" not in page.split("<tbody>")[1]  # (the filter's option values)
    assert manager.email in page


# --- deleted means gone from the database file (SQLite) ---------------------------------


# Debian's and Ubuntu's SQLite are built with secure_delete on; macOS's and python.org's are
# not. The tests start every connection with it off, as those builds do, so they show what
# Koers itself sets.
_BUILD_WITHOUT_SECURE_DELETE = """
from sqlite3 import dbapi2  # what Django's SQLite backend connects with

_connect = dbapi2.connect


def _connect_as_other_builds(*args, **kwargs):
    conn = _connect(*args, **kwargs)
    conn.execute("PRAGMA secure_delete=OFF")
    return conn


dbapi2.connect = _connect_as_other_builds
"""


def test_every_sqlite_connection_zeroes_deleted_rows(
    db: Any, settings: Any, monkeypatch: Any
) -> None:
    from sqlite3 import dbapi2

    from django.db.backends.sqlite3.base import DatabaseWrapper

    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("PRAGMA secure_delete is SQLite's")
    connect = dbapi2.connect

    def connect_as_other_builds(*args: Any, **kwargs: Any) -> Any:
        conn = connect(*args, **kwargs)
        conn.execute("PRAGMA secure_delete=OFF")
        return conn

    monkeypatch.setattr(dbapi2, "connect", connect_as_other_builds)
    wrapper = DatabaseWrapper({**settings.DATABASES["default"], "NAME": ":memory:"}, "check")
    try:
        wrapper.ensure_connection()
        assert wrapper.connection.execute("PRAGMA secure_delete").fetchone()[0] == 1
    finally:
        wrapper.close()


_DELETE_ON_FILE = (
    _BUILD_WITHOUT_SECURE_DELETE
    + r"""
import os, sys
os.environ["DJANGO_SETTINGS_MODULE"] = "koers.settings"
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from koers.organisations.gdpr import delete_organisation
from koers.organisations.models import Organisation
from koers.reportbox import services
from koers.surveys.models import Campaign

stays = Organisation.objects.create(name="Blijft", slug="blijft")
box = services.box_of(stays)
received = services.receive(box, "other", sys.argv[1] + " pestte mij op de afdeling")
services.add_message(received.report, sys.argv[1] + " weer", from_adviser=False)
goes = Organisation.objects.create(name="Weg", slug="weg")
Campaign.objects.create(organisation=goes, name=sys.argv[2], instrument_key="career_compass",
                        instrument_version=1)
services.withdraw(received.report)  # the reporter withdraws: report and message deleted
delete_organisation(goes)  # GDPR erasure of a whole organisation
print("deleted", flush=True)
sys.stdin.readline()  # the server keeps running (and its connection open) meanwhile
"""
)


def test_deleted_personal_data_leaves_the_sqlite_file_and_its_log(tmp_path: Any) -> None:
    """On a real database file: delete through Koers, then read the files while it runs.

    (SQLite also checkpoints when the last connection closes; a running server never does,
    so the files are read while the process that deleted still holds its connection.)
    """
    import os
    import subprocess
    import sys

    path = tmp_path / "koers.sqlite3"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{path}",
        "SECRET_KEY": "s" * 60,
        "DEBUG": "0",
        "KOERS_TESTING": "1",
    }
    report_text, campaign_name = "Jansen-uit-hal-7-KZQ", "Kampanje-Wegwezen-XJV"
    with subprocess.Popen(
        [sys.executable, "-c", _DELETE_ON_FILE, report_text, campaign_name],
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    ) as server:
        try:
            assert server.stdout is not None
            assert server.stdout.readline().strip() == "deleted"
            on_disk = {
                name: (tmp_path / name).read_bytes() if (tmp_path / name).exists() else b""
                for name in ("koers.sqlite3", "koers.sqlite3-wal")
            }
        finally:
            server.communicate("\n", timeout=60)
    assert on_disk["koers.sqlite3"]  # the file was read while in use
    for name, stored in on_disk.items():
        assert report_text.encode() not in stored, name
        assert campaign_name.encode() not in stored, name


@pytest.fixture
def checkpoints(monkeypatch: Any) -> list[str]:
    from django.db import connection

    from koers.organisations import gdpr

    if connection.vendor != "sqlite":
        pytest.skip("the checkpoint is SQLite's; a no-op on PostgreSQL")
    calls: list[str] = []
    monkeypatch.setattr(gdpr, "checkpoint", lambda using="default": calls.append(using))
    return calls


def test_a_respondent_deleting_their_answers_checkpoints_once_after_the_commit(
    client: Any, campaign: Campaign, checkpoints: list[str], django_capture_on_commit_callbacks: Any
) -> None:
    started = _finished(campaign)
    slot = open_link(client, started.secret)  # the first visit: the secret moves to a cookie
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client.post(reverse("respond_delete", kwargs={"slot": slot}), {"confirm": "yes"})
    assert not Response.objects.exists()
    assert checkpoints == ["default"]
    assert len(callbacks) == 1  # one checkpoint for the answers, scores and response


def test_erasing_an_organisation_checkpoints(
    org_a: Any, checkpoints: list[str], django_capture_on_commit_callbacks: Any
) -> None:
    from koers.organisations.gdpr import delete_organisation

    with django_capture_on_commit_callbacks(execute=True):
        delete_organisation(org_a)
    assert checkpoints == ["default"]


def test_retention_deletions_checkpoint(
    campaign: Campaign, checkpoints: list[str], django_capture_on_commit_callbacks: Any
) -> None:
    _finished(campaign)
    Campaign.objects.filter(pk=campaign.pk).update(closed_on=dt.date(2020, 1, 1))
    with django_capture_on_commit_callbacks(execute=True):
        enforce(dt.date(2026, 1, 1))
    assert not Response.objects.exists()
    assert checkpoints


def test_deleting_a_snapshot_checkpoints(
    org_a: Any, checkpoints: list[str], django_capture_on_commit_callbacks: Any
) -> None:
    from koers.scan.models import Snapshot

    snapshot = Snapshot.objects.create(
        organisation=org_a, reference_date=dt.date(2025, 12, 31), data=b""
    )
    with django_capture_on_commit_callbacks(execute=True):
        snapshot.delete()
    assert checkpoints == ["default"]


def test_a_rolled_back_deletion_does_not_checkpoint(
    campaign: Campaign, checkpoints: list[str], django_capture_on_commit_callbacks: Any
) -> None:
    from django.db import transaction

    _finished(campaign)

    def delete_then_fail() -> None:
        with transaction.atomic():
            Response.objects.all().delete()
            raise RuntimeError("rolled back")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        delete_then_fail()
    assert Response.objects.exists()
    assert checkpoints == []


def test_a_checkpoint_that_cannot_run_never_fails_the_deletion(db: Any, monkeypatch: Any) -> None:
    from django.db import OperationalError, connection

    from koers.organisations import gdpr

    if connection.vendor != "sqlite":
        pytest.skip("the checkpoint is SQLite's")

    class Locked:
        def __enter__(self) -> Any:
            raise OperationalError("database table is locked")

        def __exit__(self, *args: Any) -> None:
            return None

    with monkeypatch.context() as patched:
        patched.setattr(connection, "cursor", Locked)
        assert gdpr.checkpoint() is False


# ---- what the organisation export holds, model by model ---------------------------------


def test_every_organisation_owned_model_is_classified_for_the_export() -> None:
    """A new app decides, per model, whether its rows go out in full or as a count only:
    anonymous free text (respondents, reporters, participants) must never go out verbatim
    just because nobody listed it."""
    from koers.organisations import gdpr

    labels = {model._meta.label_lower for model in gdpr.owned_models()}
    unclassified = sorted(labels - gdpr.FULL - gdpr.COUNT_ONLY)
    assert unclassified == [], (
        f"classify {unclassified} in koers/organisations/gdpr.py: FULL (the organisation's "
        "own data) or COUNT_ONLY (free text written anonymously)"
    )
    assert gdpr.FULL & gdpr.COUNT_ONLY == set()
    assert sorted((gdpr.FULL | gdpr.COUNT_ONLY) - labels) == []  # no stale names
    assert {"reportbox.report", "dialogue.answer"} <= gdpr.COUNT_ONLY


def test_an_unclassified_model_is_exported_as_a_count_only(
    monkeypatch: Any, org_a: Organisation
) -> None:
    from koers.organisations import gdpr
    from koers.targets.models import Target

    Target.objects.create(organisation=org_a, population="board", target_share=40,
                          target_year=2028, note="vrije tekst")  # fmt: skip
    monkeypatch.setattr(gdpr, "FULL", gdpr.FULL - {"targets.target"})
    archive = zipfile.ZipFile(io.BytesIO(gdpr.export_organisation(org_a)))
    assert json.loads(archive.read("targets.target.json")) == {"count": 1}


def test_targets_and_report_settings_are_in_the_organisation_export(org_a: Organisation) -> None:
    from koers.organisations.gdpr import export_organisation
    from koers.targets.models import ReportSettings, SubTopDefinition, Target, TargetExplanation

    SubTopDefinition.objects.create(organisation=org_a, name="Leiding", job_levels=["12"],
                                    valid_from=dt.date(2026, 1, 1))  # fmt: skip
    target = Target.objects.create(organisation=org_a, population="subtop", subtop_name="Leiding",
                                   target_share=30, target_year=2028, note="waarom 30")  # fmt: skip
    ReportSettings.objects.create(organisation=org_a, fy_end_month=6, fy_end_day=30,
                                  count_other_with_underrepresented=True)  # fmt: skip
    TargetExplanation.objects.create(organisation=org_a, target=target, year=2025,
                                     text="Geen vacature.")  # fmt: skip
    archive = zipfile.ZipFile(io.BytesIO(export_organisation(org_a)))

    def rows(name: str) -> list[dict[str, Any]]:
        return [row["fields"] for row in json.loads(archive.read(f"targets.{name}.json"))]

    assert [(r["name"], r["job_levels"], r["valid_from"]) for r in rows("subtopdefinition")] == [
        ("Leiding", ["12"], "2026-01-01")
    ]
    [t] = rows("target")
    assert (t["population"], t["subtop_name"], t["target_share"], t["note"]) == (
        "subtop", "Leiding", "30.00", "waarom 30"
    )  # fmt: skip
    [conf] = rows("reportsettings")
    assert (conf["fy_end_month"], conf["fy_end_day"]) == (6, 30)
    assert conf["count_other_with_underrepresented"] is True
    assert [r["text"] for r in rows("targetexplanation")] == ["Geen vacature."]
    invitations = json.loads(archive.read("organisations.memberinvitation.json"))
    assert all("token_hash" not in row["fields"] for row in invitations)
