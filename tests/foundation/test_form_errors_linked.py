"""After a failed submit, every form's error is linked to its field (one test per template).

Each form uses koers.lib.forms.DescribedFields and templates/_field.html (or its ids):
the control gets ``aria-invalid="true"`` and ``aria-describedby`` naming the message, and
the error summary links to the control (tests/foundation/test_forms_described.py checks
that every form class uses the mixin).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from tests.formlinks import assert_error_linked

from koers.organisations.models import Role


def _org(name: str, **kwargs: Any) -> str:
    return reverse(name, kwargs={"org": "alpha", **kwargs})


def test_login_links_a_missing_address(client: Any, db: Any) -> None:
    page = client.post(reverse("login"), {"username": "", "password": "x"})
    assert_error_linked(page.content.decode(), "id_username")


@pytest.mark.twofactor
def test_the_authenticator_code_links_its_error(client: Any, alice: Any) -> None:
    from tests.conftest import PASSWORD

    client.post(reverse("login"), {"username": alice.email, "password": PASSWORD})
    page = client.post(reverse("twofactor_setup"), {"token": "12", "next": "/"})
    assert_error_linked(page.content.decode(), "id_token")


def test_inviting_a_member_links_a_bad_address(client: Any, alice: Any) -> None:
    client.force_login(alice)
    page = client.post(_org("member_invite"), {"email": "geen-adres", "role": "manager"})
    assert_error_linked(page.content.decode(), "id_email")


def test_accepting_an_invitation_links_a_password_mismatch(client: Any, alice: Any) -> None:
    from koers.organisations import invitations

    _invitation, token = invitations.invite(
        alice.memberships.get().organisation, "nieuw@alpha.example", "manager", alice
    )
    page = client.post(
        reverse("member_accept", kwargs={"token": token}),
        {
            "first_name": "Noor",
            "last_name": "",
            "new_password1": "een-lang-wachtwoord-1",
            "new_password2": "een-ander-wachtwoord-2",
        },
    )
    assert_error_linked(page.content.decode(), "id_new_password2")


def test_the_audit_filter_links_a_bad_date(client: Any, alice: Any) -> None:
    client.force_login(alice)
    page = client.get(_org("audit_log"), {"since": "gisteren"})
    assert_error_linked(page.content.decode(), "id_since")


def test_the_upload_links_a_missing_file(client: Any, member_of: Any) -> None:
    client.force_login(member_of(Role.HR_ANALYST))
    page = client.post(_org("scan_upload_new"), {"reference_date": "2026-06-30"})
    assert_error_linked(page.content.decode(), "id_file")


def test_the_campaign_invitation_links_an_empty_list(client: Any, alice: Any, org_a: Any) -> None:
    from koers.surveys.models import Campaign

    campaign = Campaign.objects.create(
        organisation=org_a,
        name="Uitnodigen",
        instrument_key="career_compass",
        instrument_version=1,
        mode=Campaign.Mode.INVITATIONS,
    )
    client.force_login(alice)
    page = client.post(_org("campaign_invite", pk=campaign.pk), {"emails": ""}, follow=True)
    assert_error_linked(page.content.decode(), "id_emails")


@pytest.fixture
def adviser(member_of: Any) -> Any:
    return member_of(Role.CONFIDENTIAL_ADVISER)


@pytest.fixture
def box(org_a: Any, adviser: Any) -> Any:
    from koers.reportbox import services

    found = services.box_of(org_a)
    found.is_open = True
    found.save()
    return found


def test_the_report_form_links_its_errors(client: Any, box: Any) -> None:
    url = reverse("reportbox_public", kwargs={"token": box.public_token})
    shown = client.get(url).context["shown"]
    html = client.post(url, {"shown": shown, "text": ""}).content.decode()
    assert_error_linked(html, "id_category")
    assert_error_linked(html, "id_text")


def test_the_report_code_links_an_unknown_code(client: Any, box: Any) -> None:
    page = client.post(reverse("reportbox_status"), {"code": "AAAA-BBBB-CCCC-DDDD"})
    assert page.status_code == 404
    assert_error_linked(page.content.decode(), "id_code")


def test_a_reporters_message_links_an_empty_text(client: Any, box: Any) -> None:
    from koers.reportbox import services

    code = services.receive(box, "other", "Er gebeurde iets.").code
    page = client.post(reverse("reportbox_status"), {"code": code, "action": "message", "text": ""})
    assert_error_linked(page.content.decode(), "id_text")


def test_the_box_settings_link_an_answer_time_out_of_range(
    client: Any, box: Any, adviser: Any
) -> None:
    client.force_login(adviser)
    page = client.post(
        _org("reportbox_settings"),
        {"is_open": "on", "intro": "", "intro_en": "", "answer_days": "90"},
    )
    assert_error_linked(page.content.decode(), "id_answer_days")


def test_the_adviser_profile_links_a_missing_name(client: Any, box: Any, adviser: Any) -> None:
    client.force_login(adviser)
    page = client.post(_org("reportbox_profile"), {"name": "", "role_nl": "", "role_en": ""})
    assert_error_linked(page.content.decode(), "id_name")


def test_joining_a_dialogue_links_an_empty_code(client: Any, db: Any) -> None:
    page = client.post(reverse("dialogue_join"), {"code": ""})
    assert_error_linked(page.content.decode(), "id_code")


def test_the_scan_period_links_its_error(client: Any, member_of: Any, org_a: Any) -> None:
    from koers.hrfile import check_for_import, parse_employees, read_table, suggest_mapping
    from koers.scan.demo import dutch_export, generate_rows
    from koers.scan.services import store_snapshot

    day = dt.date(2026, 6, 30)
    raw = read_table(dutch_export(generate_rows(40, seed=3, reference_date=day)), filename="x.csv")
    checked = check_for_import(parse_employees(raw, suggest_mapping(raw.headers)), day)
    snapshot = store_snapshot(org_a, day, checked.employees, filename="x.csv")
    client.force_login(member_of(Role.HR_ANALYST))
    page = client.get(_org("scan_snapshot", pk=snapshot.pk), {"start": "x", "end": "2026-06-30"})
    assert_error_linked(page.content.decode(), "id_start")
