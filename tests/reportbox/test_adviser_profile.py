"""Who the form names (name and role as the adviser wrote them), when to come back, dates
in the page's language, the organisation's texts in both languages, the error summary."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from koers.organisations.models import Role
from koers.reportbox import services
from koers.reportbox.models import AdviserProfile, Report, ReportBox


@pytest.fixture
def adviser(member_of: Any) -> Any:
    return member_of(Role.CONFIDENTIAL_ADVISER)


@pytest.fixture
def box(org_a: Any, adviser: Any) -> ReportBox:
    found = services.box_of(org_a)
    found.is_open = True
    found.save()
    return found


def _public(client: Any, box: ReportBox, language: str = "nl") -> Any:
    client.cookies["django_language"] = language
    return client.get(reverse("reportbox_public", kwargs={"token": box.public_token}))


def test_the_form_names_advisers_by_the_name_and_role_they_entered(
    client: Any, box: ReportBox, adviser: Any
) -> None:
    client.force_login(adviser)
    saved = client.post(
        reverse("reportbox_profile", kwargs={"org": "alpha"}),
        {
            "name": "Sanne de Vries",
            "role_nl": "externe vertrouwenspersoon, Arbodienst Noord",
            "role_en": "external confidential adviser, Arbodienst Noord",
        },
    )
    assert saved.status_code == 302
    client.logout()
    dutch = _public(client, box).content.decode()
    assert "Sanne de Vries" in dutch
    assert "externe vertrouwenspersoon" in dutch
    assert adviser.email not in dutch
    english = _public(client, box, "en").content.decode()
    assert "external confidential adviser" in english
    assert "externe" not in english
    assert adviser.email not in english


def test_without_a_profile_the_form_never_shows_an_address(
    client: Any, box: ReportBox, adviser: Any
) -> None:
    page = _public(client, box).content.decode()
    assert adviser.email not in page
    assert "naam nog niet ingevuld" in page
    adviser.first_name, adviser.last_name = "Piet", "Post"
    adviser.save()
    assert "Piet Post" in _public(client, box).content.decode()


def test_a_role_written_in_one_language_is_shown_in_both(
    client: Any, box: ReportBox, adviser: Any, org_a: Any
) -> None:
    AdviserProfile.objects.create(
        organisation=org_a, user=adviser, name="Sanne", role_nl="vertrouwenspersoon"
    )
    assert "vertrouwenspersoon" in _public(client, box, "en").content.decode()


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (dt.date(2026, 12, 4), 5, dt.date(2026, 12, 11)),  # Friday + 5 working days: Friday
        (dt.date(2026, 12, 4), 1, dt.date(2026, 12, 7)),  # Friday + 1: Monday
        (dt.date(2026, 12, 5), 1, dt.date(2026, 12, 7)),  # Saturday + 1: Monday
        (dt.date(2026, 12, 9), 2, dt.date(2026, 12, 11)),  # Wednesday + 2: Friday
        (dt.date(2026, 12, 7), 10, dt.date(2026, 12, 21)),  # two full weeks
    ],
)
def test_working_days_skip_weekends(start: dt.date, days: int, expected: dt.date) -> None:
    assert services.add_working_days(start, days) == expected


def test_the_reporter_is_told_when_to_come_back(client: Any, box: ReportBox) -> None:
    box.answer_days = 3
    box.save()
    form = _public(client, box)
    assert "binnen 3 werkdagen" in form.content.decode()
    sent = client.post(
        reverse("reportbox_public", kwargs={"token": box.public_token}),
        {"shown": form.context["shown"], "category": "other", "text": "Iets."},
    )
    today = timezone.localdate()
    expected = today
    for _ in range(3):  # an independent count of three working days
        expected += dt.timedelta(days=1)
        while expected.weekday() >= 5:
            expected += dt.timedelta(days=1)
    assert sent.context["expected"] == expected
    assert str(expected.day) in sent.content.decode()
    report = Report.objects.get()
    services.add_message(report, "Dank je.", from_adviser=True)
    assert services.answer_expected(box, report) is None  # answered: nothing to wait for
    services.add_message(report, "Nog een vraag.", from_adviser=False)
    assert services.answer_expected(box, report) == expected


def test_the_inbox_shows_dates_in_the_page_language(
    client: Any, box: ReportBox, adviser: Any
) -> None:
    report = services.receive(box, "other", "Iets.").report
    Report.objects.filter(pk=report.pk).update(received_on=dt.date(2026, 12, 7))
    client.force_login(adviser)
    inbox = reverse("reportbox_inbox", kwargs={"org": "alpha"})
    dutch = client.get(inbox).content.decode()
    assert "7 december 2026" in dutch
    assert "7 Dec 2026" not in dutch
    client.cookies["django_language"] = "en"
    english = client.get(inbox).content.decode()
    assert "Dec. 7, 2026" in english
    detail = client.get(reverse("reportbox_report", kwargs={"org": "alpha", "pk": report.pk}))
    assert "Dec. 7, 2026" in detail.content.decode()


def test_the_intro_is_shown_in_the_page_language_with_fallback(
    client: Any, box: ReportBox, adviser: Any
) -> None:
    box.intro = "Bel gerust: 050 000 0000."
    box.save()
    assert "Bel gerust" in _public(client, box, "en").content.decode()  # no English yet
    client.force_login(adviser)
    client.post(
        reverse("reportbox_settings", kwargs={"org": "alpha"}),
        {
            "is_open": "on",
            "intro": "Bel gerust: 050 000 0000.",
            "intro_en": "Feel free to call: 050 000 0000.",
            "answer_days": "5",
        },
    )
    client.logout()
    english = _public(client, box, "en").content.decode()
    assert "Feel free to call" in english
    assert "Bel gerust" not in english
    assert 'lang="en"' in english
    assert "Bel gerust" in _public(client, box, "nl").content.decode()


def test_answer_time_outside_the_range_is_refused_with_the_range(
    client: Any, box: ReportBox, adviser: Any
) -> None:
    client.force_login(adviser)
    page = client.post(
        reverse("reportbox_settings", kwargs={"org": "alpha"}),
        {"is_open": "on", "intro": "", "intro_en": "", "answer_days": "90"},
    )
    assert page.status_code == 400
    html = page.content.decode()
    assert 'value="90"' in html  # the input is kept
    assert "data-error-summary" in html
    box.refresh_from_db()
    assert box.answer_days == 5


def test_a_failed_submit_puts_the_focus_on_the_error_summary(client: Any, box: ReportBox) -> None:
    form = _public(client, box)
    page = client.post(
        reverse("reportbox_public", kwargs={"token": box.public_token}),
        {"shown": form.context["shown"], "text": ""},
    )
    assert page.status_code == 400
    html = page.content.decode()
    summary = html[html.index("data-error-summary") - 200 : html.index("data-error-summary") + 600]
    assert 'tabindex="-1"' in summary
    assert "autofocus" in summary
    assert 'href="#id_category"' in summary
    assert 'href="#id_text"' in summary
    assert 'id="id_category"' in html
    assert 'id="id_text"' in html
