"""The reporting box: anonymous reports, a conversation by receipt code, the adviser alone."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from typing import Any

import pytest
from django.db import models
from django.urls import reverse
from django.utils import timezone

from koers.lib import ratelimit
from koers.organisations import retention
from koers.organisations.models import AuditEvent, Membership, Role
from koers.reportbox import services
from koers.reportbox.models import Report, ReportBox, ReportMessage

ADDRESS, AGENT = "203.0.113.77", "Mozilla/5.0 (Unieke Telefoon 9000)"
STORY = "Mijn leidinggevende maakt <b>opmerkingen</b> over mijn uiterlijk <script>x()</script>."


@pytest.fixture
def adviser(member_of: Any) -> Any:
    return member_of(Role.CONFIDENTIAL_ADVISER)


@pytest.fixture
def box(org_a: Any, adviser: Any) -> ReportBox:
    """An open box with one confidential adviser (a box without one takes no reports)."""
    found = services.box_of(org_a)
    found.is_open = True
    found.save()
    return found


def _form(client: Any, box: ReportBox, **post: str) -> dict[str, str]:
    """What the form posts: the fields, and which advisers the page named (signed)."""
    page = client.get(reverse("reportbox_public", kwargs={"token": box.public_token}))
    return {"shown": page.context["shown"], **post}


def _report(client: Any, box: ReportBox, text: str = STORY) -> tuple[Any, str]:
    """Send a report as a visitor with a recognisable address and browser; return the code."""
    page = client.post(
        reverse("reportbox_public", kwargs={"token": box.public_token}),
        _form(client, box, category="sexual_harassment", text=text),
        REMOTE_ADDR=ADDRESS,
        HTTP_USER_AGENT=AGENT,
    )
    assert page.status_code == 200
    code = page.context["code"]
    assert len(code.replace("-", "")) == services.CODE_LENGTH
    return page, code


def _status(client: Any, code: str, **extra: str) -> Any:
    return client.post(reverse("reportbox_status"), {"code": code, **extra})


def test_a_report_stores_what_was_written_and_nothing_about_who_wrote_it(
    client: Any, box: ReportBox
) -> None:
    page, code = _report(client, box)
    assert code in page.content.decode()
    report = Report.objects.get()
    assert report.text == STORY
    assert report.received_on == timezone.localdate()
    assert report.organisation_id == box.organisation_id
    stored = json.dumps(
        {f.attname: str(getattr(report, f.attname)) for f in Report._meta.concrete_fields}
    )
    assert ADDRESS not in stored
    assert "Unieke Telefoon" not in stored
    assert code.replace("-", "") not in stored  # only a keyed hash of the code
    _status(client, code, action="message", text="Nog een bericht.")
    message = ReportMessage.objects.get()
    assert ADDRESS not in json.dumps(
        {f.attname: str(getattr(message, f.attname)) for f in ReportMessage._meta.concrete_fields}
    )
    # the rate-limit counters name the address only by a keyed hash
    from django.core.cache import cache

    counters = " ".join(str(key) for key in cache._cache)  # type: ignore[attr-defined]
    assert counters
    assert ADDRESS not in counters
    for model in (Report, ReportMessage):
        # no time of day, anywhere: a timestamp could point at the one person on a late shift
        assert not any(isinstance(f, models.DateTimeField) for f in model._meta.fields)
    assert "no-store" in page["Cache-Control"]


def test_the_reporter_and_the_adviser_talk_by_receipt_code(
    client: Any, box: ReportBox, adviser: Any
) -> None:
    _, code = _report(client, box)
    report = Report.objects.get()
    own = _status(client, code)
    assert own.status_code == 200
    assert "opmerkingen" in own.content.decode()
    assert own.context["report"].status == Report.Status.NEW

    client.force_login(adviser)
    action = reverse("reportbox_report_action", kwargs={"org": "alpha", "pk": report.pk})
    client.post(action, {"action": "reply", "text": "Dank je. Wil je vertellen wanneer?"})
    client.logout()

    again = _status(client, code.lower().replace("-", " "))  # typed loosely: still found
    assert "Wil je vertellen wanneer?" in again.content.decode()
    assert again.context["report"].status == Report.Status.IN_PROGRESS
    _status(client, code, action="message", text="Vorige week, twee keer.")

    client.force_login(adviser)
    detail = client.get(reverse("reportbox_report", kwargs={"org": "alpha", "pk": report.pk}))
    assert "Vorige week, twee keer." in detail.content.decode()
    client.post(action, {"action": "close"})
    report.refresh_from_db()
    assert (report.status, report.closed_on) == (Report.Status.CLOSED, timezone.localdate())
    client.logout()
    # writing back after closing opens the conversation again
    _status(client, code, action="message", text="Het gebeurde weer.")
    report.refresh_from_db()
    assert (report.status, report.closed_on) == (Report.Status.IN_PROGRESS, None)


def test_user_text_is_escaped_for_reporter_and_adviser(
    client: Any, box: ReportBox, adviser: Any
) -> None:
    _, code = _report(client, box)
    html = _status(client, code).content.decode()
    assert "<script>x()</script>" not in html
    assert "&lt;script&gt;x()&lt;/script&gt;" in html
    client.force_login(adviser)
    report = Report.objects.get()
    html = client.get(
        reverse("reportbox_report", kwargs={"org": "alpha", "pk": report.pk})
    ).content.decode()
    assert "<b>opmerkingen</b>" not in html
    assert "&lt;b&gt;opmerkingen&lt;/b&gt;" in html


def test_only_the_adviser_of_the_organisation_reads_reports(
    client: Any, box: ReportBox, adviser: Any, alice: Any, member_of: Any, charlie: Any, org_b: Any
) -> None:
    _report(client, box)
    report = Report.objects.get()
    detail = reverse("reportbox_report", kwargs={"org": "alpha", "pk": report.pk})
    inbox = reverse("reportbox_inbox", kwargs={"org": "alpha"})
    for role in (Role.HR_ANALYST, Role.MANAGER, Role.WORKS_COUNCIL, Role.RESEARCHER):
        client.force_login(member_of(role))
        assert client.get(inbox).status_code == 403
        assert client.get(detail).status_code == 403
    client.force_login(alice)  # the organisation admin manages the box, never reads a report
    assert client.get(detail).status_code == 403
    settings_page = client.get(reverse("reportbox_settings", kwargs={"org": "alpha"}))
    assert settings_page.status_code == 200
    assert "opmerkingen" not in settings_page.content.decode()
    # an adviser of another organisation does not see A's report, even by its number
    Membership.objects.filter(user=charlie).update(role=Role.CONFIDENTIAL_ADVISER)
    client.force_login(charlie)
    assert client.get(detail).status_code == 404
    other = reverse("reportbox_inbox", kwargs={"org": org_b.slug})
    assert "opmerkingen" not in client.get(other).content.decode()
    # ... nor through their own organisation's address with A's report id
    via_b = {"org": org_b.slug, "pk": report.pk}
    assert client.get(reverse("reportbox_report", kwargs=via_b)).status_code == 404
    closing = client.post(reverse("reportbox_report_action", kwargs=via_b), {"action": "close"})
    assert closing.status_code == 404
    report.refresh_from_db()
    assert report.status == Report.Status.NEW
    client.force_login(adviser)
    assert report.reference in client.get(inbox).content.decode()
    assert client.get(detail).status_code == 200


def test_reading_a_report_is_in_the_audit_log_without_its_content(
    client: Any, box: ReportBox, adviser: Any
) -> None:
    _report(client, box)
    report = Report.objects.get()
    client.force_login(adviser)
    client.get(reverse("reportbox_report", kwargs={"org": "alpha", "pk": report.pk}))
    event = AuditEvent.objects.get(action="viewed report")
    assert event.target == report.reference
    assert "opmerkingen" not in event.target


def test_the_organisation_export_counts_reports_without_their_content(
    client: Any, box: ReportBox, alice: Any
) -> None:
    _report(client, box)
    client.force_login(alice)
    archive = zipfile.ZipFile(
        io.BytesIO(
            client.post(
                reverse("organisation_data", kwargs={"org": "alpha"}), {"action": "export"}
            ).content
        )
    )
    assert json.loads(archive.read("reportbox.report.json")) == {"count": 1}
    everything = b"".join(archive.read(name) for name in archive.namelist())
    assert b"opmerkingen" not in everything
    assert Report.objects.get().code_hash.encode() not in everything


def test_wrong_codes_are_throttled_even_before_a_right_one(client: Any, box: ReportBox) -> None:
    _, code = _report(client, box)
    for _ in range(ratelimit.FAILED_LOOKUP_LIMIT):
        wrong = _status(client, services.new_code())
        assert wrong.status_code == 404
        assert "Deze code kennen we niet" in wrong.content.decode()
    assert _status(client, code).status_code == 429


def test_a_flood_of_reports_from_one_address_is_stopped(
    client: Any, box: ReportBox, monkeypatch: Any
) -> None:
    """With the default settings: a few dozen reports an hour, not thousands a minute."""
    from types import SimpleNamespace

    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: 1_800_000_000.0))
    limit = services.REPORTS_PER_ADDRESS_PER_HOUR
    assert limit <= 60
    url = reverse("reportbox_public", kwargs={"token": box.public_token})
    statuses = [
        client.post(url, _form(client, box, category="other", text=f"melding {n}")).status_code
        for n in range(limit + 1)
    ]
    assert statuses == [200] * limit + [429]
    assert Report.objects.count() == limit
    refusal = client.post(url, _form(client, box, category="other", text="nog een"))
    assert "heel vaak iets verstuurd" in refusal.content.decode()
    assert "onbekende links of codes" not in refusal.content.decode()
    # another address is not affected
    other = client.post(
        url, _form(client, box, category="other", text="x"), REMOTE_ADDR="198.51.100.4"
    )
    assert other.status_code == 200


def test_the_reporter_withdraws_the_report_and_every_message(client: Any, box: ReportBox) -> None:
    _, code = _report(client, box)
    _status(client, code, action="message", text="Nog iets.")
    unconfirmed = _status(client, code, action="withdraw")
    assert unconfirmed.status_code == 400
    assert Report.objects.count() == 1
    gone = _status(client, code, action="withdraw", confirm="yes")
    assert "verwijderd" in gone.content.decode()
    assert not Report.objects.exists()
    assert not ReportMessage.objects.exists()
    assert _status(client, code).status_code == 404


def test_a_closed_box_or_an_unknown_link_takes_no_report(client: Any, box: ReportBox) -> None:
    url = reverse("reportbox_public", kwargs={"token": box.public_token})
    box.is_open = False
    box.save()
    assert client.post(url, {"category": "other", "text": "x"}).status_code == 410
    unknown = reverse("reportbox_public", kwargs={"token": "not-a-box-token"})
    assert client.post(unknown, {"category": "other", "text": "x"}).status_code == 404
    assert not Report.objects.exists()


def test_a_new_link_retires_the_old_one_and_keeps_codes_working(
    client: Any, box: ReportBox, alice: Any
) -> None:
    _, code = _report(client, box)
    old = reverse("reportbox_public", kwargs={"token": box.public_token})
    client.force_login(alice)
    settings_url = reverse("reportbox_settings", kwargs={"org": "alpha"})
    ask = client.post(settings_url, {"action": "new_link"})
    assert "Ja, maak een nieuwe link" in ask.content.decode()  # it asks first
    assert client.get(old).status_code == 200  # nothing changed yet
    client.post(settings_url, {"action": "new_link", "confirm": "yes"})
    client.logout()
    assert client.get(old).status_code == 404
    box.refresh_from_db()
    assert (
        client.get(reverse("reportbox_public", kwargs={"token": box.public_token})).status_code
        == 200
    )
    assert _status(client, code).status_code == 200


def test_an_empty_or_too_long_report_says_what_is_wrong(client: Any, box: ReportBox) -> None:
    url = reverse("reportbox_public", kwargs={"token": box.public_token})
    empty = client.post(url, {"category": "", "text": ""})
    assert empty.status_code == 400
    assert set(empty.context["form"].errors) == {"category", "text"}
    long = client.post(url, {"category": "other", "text": "x" * 5001})
    assert long.status_code == 400
    assert "5000" in long.context["form"].errors["text"][0]
    assert long.context["form"]["text"].value() == "x" * 5001  # nothing typed is lost
    assert not Report.objects.exists()


def test_closed_reports_are_deleted_twelve_months_after_closing(org_a: Any) -> None:
    today = dt.date(2027, 6, 15)
    kept_open = services.receive(services.box_of(org_a), "other", "open, old").report
    recent = services.receive(services.box_of(org_a), "other", "recently closed").report
    old = services.receive(services.box_of(org_a), "other", "closed long ago").report
    services.add_message(old.__class__.objects.get(pk=old.pk), "antwoord", from_adviser=True)
    Report.objects.filter(pk=kept_open.pk).update(received_on=dt.date(2020, 1, 1))
    Report.objects.filter(pk=recent.pk).update(
        status=Report.Status.CLOSED, closed_on=dt.date(2026, 7, 1)
    )
    Report.objects.filter(pk=old.pk).update(
        status=Report.Status.CLOSED, closed_on=dt.date(2026, 6, 14)
    )
    removed = retention.enforce(today)
    assert removed["reports"] == 1
    assert set(Report.objects.values_list("pk", flat=True)) == {kept_open.pk, recent.pk}
    assert not ReportMessage.objects.filter(report_id=old.pk).exists()


def test_adviser_pages_are_never_cached(client: Any, box: ReportBox, adviser: Any) -> None:
    _report(client, box)
    report = Report.objects.get()
    client.force_login(adviser)
    for url in (
        reverse("reportbox_inbox", kwargs={"org": "alpha"}),
        reverse("reportbox_report", kwargs={"org": "alpha", "pk": report.pk}),
        reverse("reportbox_settings", kwargs={"org": "alpha"}),
    ):
        assert "no-store" in client.get(url)["Cache-Control"], url


def test_the_form_names_who_reads_the_reports(client: Any, box: ReportBox, adviser: Any) -> None:
    url = reverse("reportbox_public", kwargs={"token": box.public_token})
    adviser.first_name, adviser.last_name = "Sanne", "de Vries"
    adviser.save()
    assert "Sanne de Vries" in client.get(url).content.decode()


def test_a_box_without_an_adviser_takes_no_report(client: Any, org_a: Any) -> None:
    """Nobody could read it, and whoever became adviser later was never named to the reporter."""
    found = services.box_of(org_a)
    found.is_open = True
    found.save()
    url = reverse("reportbox_public", kwargs={"token": found.public_token})
    page = client.get(url)
    assert "nog geen vertrouwenspersoon" in page.content.decode()
    assert 'name="text"' not in page.content.decode()
    sent = client.post(url, {"shown": page.context["shown"], "category": "other", "text": "x"})
    assert sent.status_code == 409
    assert not Report.objects.exists()


def test_reports_are_numbered_per_organisation_and_new_ones_come_first(
    client: Any, box: ReportBox, adviser: Any, org_b: Any
) -> None:
    other_box = services.box_of(org_b)
    services.receive(other_box, "other", "B's first")
    services.receive(other_box, "other", "B's second")
    first = services.receive(box, "other", "A's first").report
    second = services.receive(box, "other", "A's second").report
    assert (first.reference, second.reference) == ("M-0001", "M-0002")
    services.close(second)
    services.add_message(first, "gelezen", from_adviser=True)
    third = services.receive(box, "bullying", "A's third").report
    client.force_login(adviser)
    rows = client.get(reverse("reportbox_inbox", kwargs={"org": "alpha"})).context["rows"]
    assert [r.reference for r, _ in rows] == [third.reference, "M-0001", "M-0002"]
    assert [n for _, n in rows] == [0, 1, 0]


def test_withdrawing_without_ticking_the_box_says_so(client: Any, box: ReportBox) -> None:
    _, code = _report(client, box)
    page = _status(client, code, action="withdraw")
    assert page.status_code == 400
    assert "Vink aan" in page.content.decode()
    assert Report.objects.count() == 1


def test_guessing_box_or_campaign_links_is_throttled(
    client: Any, box: ReportBox, campaign_token: str
) -> None:
    for n in range(ratelimit.FAILED_LOOKUP_LIMIT):
        guess = reverse("reportbox_public", kwargs={"token": f"guess-{n}"})
        assert client.get(guess).status_code == 404
    right = reverse("reportbox_public", kwargs={"token": box.public_token})
    assert client.get(right).status_code == 429
    landing = reverse("campaign_landing", kwargs={"token": campaign_token})
    assert client.get(landing).status_code == 429
    assert client.get(right, REMOTE_ADDR="198.51.100.4").status_code == 200


@pytest.fixture
def campaign_token(org_a: Any) -> str:
    from koers.surveys.models import Campaign

    campaign = Campaign.objects.create(
        organisation=org_a, name="Open", instrument_key="career_compass", instrument_version=1
    )
    return str(campaign.public_token)


# --- trust is to the advisers named on the form, not to whoever gets the role later -------


def _make_adviser(client: Any, admin: Any, user: Any) -> None:
    """The organisation admin gives ``user`` the adviser role on the members page."""
    membership = Membership.objects.get(user=user)
    client.force_login(admin)
    client.post(
        reverse("change_role", kwargs={"org": "alpha", "pk": membership.pk}),
        {f"m{membership.pk}-role": Role.CONFIDENTIAL_ADVISER},
    )
    client.logout()
    membership.refresh_from_db()
    assert membership.role == Role.CONFIDENTIAL_ADVISER


def test_a_new_adviser_does_not_read_reports_written_to_someone_else(
    client: Any, box: ReportBox, adviser: Any, alice: Any, bob: Any
) -> None:
    _, code = _report(client, box)
    _status(client, code, action="message", text="Het gebeurde gisteren weer.")
    report = Report.objects.get()
    _make_adviser(client, alice, bob)  # the attack: an admin makes someone adviser

    client.force_login(bob)
    inbox = client.get(reverse("reportbox_inbox", kwargs={"org": "alpha"}))
    assert inbox.status_code == 200
    assert report.reference not in inbox.content.decode()
    assert "1 melding is geschreven aan andere vertrouwenspersonen" in inbox.content.decode()
    detail = reverse("reportbox_report", kwargs={"org": "alpha", "pk": report.pk})
    assert client.get(detail).status_code == 404
    action = reverse("reportbox_report_action", kwargs={"org": "alpha", "pk": report.pk})
    # ... nor write to the reporter, close it, or hand it to themselves
    assert client.post(action, {"action": "reply", "text": "Wie ben jij?"}).status_code == 404
    assert client.post(action, {"action": "close"}).status_code == 404
    grab = {"action": "handover", "adviser": str(bob.pk), "confirm": "yes"}
    assert client.post(action, grab).status_code == 404
    assert not ReportMessage.objects.filter(from_adviser=True).exists()
    report.refresh_from_db()
    assert report.status == Report.Status.NEW
    assert not AuditEvent.objects.filter(action="viewed report").exists()

    # A report written after bob became adviser names him on the form, so he reads it.
    client.logout()
    _report(client, box, text="Een latere melding.")
    later = Report.objects.get(text="Een latere melding.")
    client.force_login(bob)
    assert (
        client.get(reverse("reportbox_report", kwargs={"org": "alpha", "pk": later.pk})).status_code
        == 200
    )
    # The adviser named on the first report still reads both.
    client.force_login(adviser)
    for pk in (report.pk, later.pk):
        assert (
            client.get(reverse("reportbox_report", kwargs={"org": "alpha", "pk": pk})).status_code
            == 200
        )


def test_a_named_adviser_hands_a_report_over_with_confirmation_and_it_is_audited(
    client: Any, box: ReportBox, adviser: Any, alice: Any, bob: Any
) -> None:
    _, code = _report(client, box)
    _status(client, code, action="message", text="Het gebeurde gisteren weer.")
    report = Report.objects.get()
    _make_adviser(client, alice, bob)
    detail = reverse("reportbox_report", kwargs={"org": "alpha", "pk": report.pk})
    action = reverse("reportbox_report_action", kwargs={"org": "alpha", "pk": report.pk})

    client.force_login(adviser)
    page = client.get(detail)
    assert page.context["handover_to"] == [(bob.pk, services.adviser_name(bob))]
    html = page.content.decode()
    title = html[html.index("<title>") : html.index("</title>")]
    assert report.reference in title
    assert "<form" not in title  # the handover form belongs in the page, not its title
    assert html.count('name="action" value="handover"') == 1
    unconfirmed = client.post(action, {"action": "handover", "adviser": str(bob.pk)})
    assert unconfirmed.status_code == 400
    assert "Vink aan" in unconfirmed.content.decode()
    client.force_login(bob)
    assert client.get(detail).status_code == 404  # not handed over without the tick

    client.force_login(adviser)
    done = client.post(action, {"action": "handover", "adviser": str(bob.pk), "confirm": "yes"})
    assert done.status_code == 302
    event = AuditEvent.objects.get(action="handed over report")
    assert event.user == adviser
    assert event.target == f"{report.reference} → {bob.email}"
    assert "opmerkingen" not in event.target

    client.force_login(bob)
    page = client.get(detail)
    assert page.status_code == 200
    assert "Het gebeurde gisteren weer." in page.content.decode()  # messages follow the report
    assert (
        report.reference
        in client.get(reverse("reportbox_inbox", kwargs={"org": "alpha"})).content.decode()
    )
    # The reporter sees who reads the report now.
    client.logout()
    status = _status(client, code).content.decode()
    for shown in services.public_advisers(report.organisation_id, [adviser, bob]):
        assert shown.name in status
    assert adviser.email not in status
    assert bob.email not in status


def test_a_report_goes_only_to_the_advisers_the_form_showed(
    client: Any, box: ReportBox, adviser: Any, alice: Any, bob: Any
) -> None:
    url = reverse("reportbox_public", kwargs={"token": box.public_token})
    opened = _form(client, box, category="other", text="Over mijn teamleider.")
    _make_adviser(client, alice, bob)  # between opening the form and sending it
    sent = client.post(url, opened)
    assert sent.status_code == 409
    assert not Report.objects.exists()
    assert len(sent.context["advisers"]) == 2  # the new list, to decide again
    assert bob.email not in sent.content.decode()
    assert sent.context["form"]["text"].value() == "Over mijn teamleider."  # nothing lost
    tampered = client.post(url, {**opened, "shown": opened["shown"] + "x"})
    assert tampered.status_code == 409
    again = client.post(url, {**opened, "shown": sent.context["shown"]})
    assert again.status_code == 200
    assert set(Report.objects.get().readers.all()) == {adviser, bob}


def test_existing_reports_stay_with_the_current_advisers_after_the_upgrade(
    box: ReportBox, adviser: Any, org_b: Any
) -> None:
    import importlib

    from django.apps import apps

    from koers.reportbox.models import ReportReader

    migration = importlib.import_module("koers.reportbox.migrations.0003_report_readers")
    report = services.receive(box, "other", "van voor de upgrade").report
    other = services.receive(services.box_of(org_b), "other", "bij B").report
    ReportReader.objects.all().delete()  # as before the migration: nobody recorded
    migration.current_advisers_keep_existing_reports(apps, None)
    assert list(report.readers.all()) == [adviser]
    assert not other.readers.exists()  # B has no adviser; A's adviser gets nothing of B's


def test_the_demo_adviser_reads_the_demo_reports(client: Any, db: Any) -> None:
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    call_command("load_demo")
    adviser = get_user_model().objects.get(email="vertrouwenspersoon@voorbeeld.nl")
    client.force_login(adviser)
    rows = client.get(reverse("reportbox_inbox", kwargs={"org": "voorbeeld-techniek"})).context[
        "rows"
    ]
    assert len(rows) == Report.objects.count() == 3
