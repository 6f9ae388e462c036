"""An organisation's admin enters a sector programme's invitation code on a phone, with the
keyboard only (docs/programme.md)."""

from __future__ import annotations

from typing import Any

import pytest

from koers.organisations.models import Role
from koers.programme.models import Participation
from tests.conftest import PASSWORD
from tests.e2e.conftest import fits_phone, focused_id, login, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def invitation(db: Any) -> str:
    """A programme and an open invitation made by its office; the code as the office saw it."""
    from django.contrib.auth import get_user_model

    from koers.programme import services
    from koers.programme.models import OfficeMember, Programme

    programme = Programme.objects.create(name="Techniek Pilot", slug="pilot")
    office = get_user_model().objects.create_user(
        username="bureau@sector.example", email="bureau@sector.example", password=PASSWORD
    )
    OfficeMember.objects.create(programme=programme, user=office)
    _invitation, code = services.create_invitation(programme, "Alpha Engineering", office)
    return code


def test_an_admin_enters_the_invitation_code_on_a_phone_by_keyboard(
    phone: Any, live_server: Any, member_of: Any, invitation: str
) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    base = live_server.url
    admin = member_of(Role.ADMIN)
    TOTPDevice.objects.create(user=admin, name="e2e", confirmed=True)
    login(phone, base, admin.username, PASSWORD)
    phone.goto(f"{base}/o/alpha/programma/")
    assert phone.get_by_role("heading", name="Sectorprogramma's", level=1).is_visible()
    assert phone.get_by_text("Uw organisatie is nog niet uitgenodigd").is_visible()
    assert fits_phone(phone)

    # A wrong code, typed and sent with Enter: one clear error, the summary takes the focus
    # and links to the field, which is marked invalid and described by the error.
    field = phone.get_by_label("Uitnodigingscode", exact=True)
    field.focus()
    phone.keyboard.type("ABCD-EFGH-JKMN")
    with phone.expect_navigation():
        phone.keyboard.press("Enter")
    summary = phone.locator("#error-summary")
    assert summary.is_visible()
    assert focused_id(phone) == "error-summary"
    link = summary.get_by_role("link", name="Uitnodigingscode: Deze code is niet (meer) geldig")
    assert link.get_attribute("href") == "#id_code-code"
    assert field.get_attribute("aria-invalid") == "true"
    assert "code-code-error" in (field.get_attribute("aria-describedby") or "")
    assert (
        phone.locator("#id_code-code-error")
        .inner_text()
        .startswith("Deze code is niet (meer) geldig.")
    )
    assert not Participation.objects.exists()
    assert fits_phone(phone)
    screenshot(phone, "programme-code-phone-wrong")

    # From the summary to the field by keyboard; the right code replaces the wrong one.
    link.focus()
    phone.keyboard.press("Enter")
    assert focused_id(phone) == "id_code-code"
    phone.keyboard.press("Control+A")
    phone.keyboard.type(invitation.lower().replace("-", " "))  # sloppily typed still works
    phone.keyboard.press("Tab")
    assert phone.evaluate("document.activeElement.textContent") == "Code invoeren"
    with phone.expect_navigation():
        phone.keyboard.press("Enter")
    assert phone.locator("#error-summary").count() == 0
    assert phone.get_by_text("Uw organisatie is uitgenodigd voor Techniek Pilot.").is_visible()
    section = phone.get_by_role("region", name="Techniek Pilot (Uitgenodigd)")
    assert section.get_by_role("heading", name="Deelnemen: kies wat u deelt").is_visible()
    (participation,) = Participation.objects.all()
    assert participation.status == Participation.Status.INVITED
    assert fits_phone(phone)

    # Joining: tick what is shared with the keyboard and send the choice.
    scan = section.get_by_label("Kerncijfers van de Gender Scan")
    scan.focus()
    phone.keyboard.press("Space")
    assert scan.is_checked()
    section.get_by_role("button", name="Deelnemen").focus()
    with phone.expect_navigation():
        phone.keyboard.press("Enter")
    assert phone.get_by_text("Uw keuze is opgeslagen").is_visible()
    assert phone.get_by_role("region", name="Techniek Pilot (Deelnemer)").is_visible()
    assert phone.get_by_role("button", name="Stoppen met delen").is_visible()
    participation.refresh_from_db()
    assert participation.status == Participation.Status.ACTIVE
    assert participation.share_scan
    assert fits_phone(phone)
    screenshot(phone, "programme-code-phone-member")
