"""The first week without /admin/: the admin invites a member, who sets a password, links
an authenticator app and lands on the organisation's home page (issue 14)."""

from __future__ import annotations

import base64
import re
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command

from tests.e2e.conftest import login, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NEW = "ingenieur@voorbeeld.nl"
PASSWORD = "Nieuwe-collega-wachtzin-7"


@pytest.fixture
def demo(db: Any) -> None:
    call_command("load_demo")


def _totp(secret: str) -> str:
    from django_otp.oath import totp

    padded = secret + "=" * (-len(secret) % 8)
    return f"{totp(base64.b32decode(padded)):06d}"


def test_invite_accept_password_two_factor_home(page: Any, live_server: Any, demo: Any) -> None:
    base = live_server.url
    login(page, base, "admin@voorbeeld.nl")
    page.goto(f"{base}/o/voorbeeld-techniek/members/")
    # The demo shows an open invitation already.
    assert page.get_by_role("cell", name="nieuw@voorbeeld.nl", exact=True).is_visible()
    page.get_by_label("E-mailadres").fill(NEW)
    page.get_by_label("Rol", exact=True).select_option("hr_analyst")
    page.get_by_role("button", name="Uitnodiging versturen").click()
    page.wait_for_load_state()
    assert f"Uitnodiging verstuurd naar {NEW}" in page.get_by_role("status").inner_text()
    screenshot(page, "members-invited")
    sent = [m for m in mail.outbox if m.to == [NEW]]
    assert len(sent) == 1
    path = re.search(r"/uitnodiging/[^\s/]+/", sent[0].body)
    assert path is not None
    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_load_state()

    # The invitee, in a fresh session.
    page.goto(base + path.group(0))
    assert "Welkom bij Voorbeeld Techniek B.V." in page.get_by_role("heading", level=1).inner_text()
    page.get_by_label("Voornaam").fill("Noor")
    page.get_by_label("Nieuw wachtwoord", exact=True).fill("kort")
    page.get_by_label("Nieuw wachtwoord bevestigen").fill("kort")
    page.get_by_role("button", name="Account maken").click()
    page.wait_for_load_state()
    # A failed submit: the error summary has the focus.
    focused = page.evaluate("document.activeElement.id")
    assert focused == "error-summary"
    page.get_by_label("Nieuw wachtwoord", exact=True).fill(PASSWORD)
    page.get_by_label("Nieuw wachtwoord bevestigen").fill(PASSWORD)
    page.get_by_role("button", name="Account maken").click()
    page.wait_for_url("**/accounts/2fa/setup/**")
    screenshot(page, "invitee-2fa-setup")
    secret = page.locator("code.copy-link").inner_text().strip()
    page.get_by_label("Code uit je authenticator-app").fill(_totp(secret))
    page.get_by_role("button", name="Koppelen").click()
    page.wait_for_url("**/o/voorbeeld-techniek/")
    assert page.get_by_role("heading", level=1).inner_text() == "Voorbeeld Techniek B.V."
    screenshot(page, "invitee-home")
