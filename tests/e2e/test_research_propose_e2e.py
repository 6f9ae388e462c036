"""A researcher proposes a research project on a phone, with the keyboard only
(docs/research.md)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from koers.research.models import ProjectMember, ResearchProject
from tests.conftest import PASSWORD
from tests.e2e.conftest import fits_phone, focused_id, login, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

FIELDS = {
    "id_title": "Titel van het project",
    "id_research_question": "Onderzoeksvraag",
    "id_institution": "Instelling",
    "id_planned_end": "Geplande einddatum",
    "id_data_needed": "Welke gegevens je nodig hebt",
    "id_ethics_reference": "Kenmerk van de ethische goedkeuring",
}


@pytest.fixture
def researcher(db: Any) -> Any:
    """An account of its own (no organisation) with an authenticator: the workspace always
    asks for the second factor."""
    from django.contrib.auth import get_user_model
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = get_user_model().objects.create_user(
        username="sanne@uni.example", email="sanne@uni.example", password=PASSWORD
    )
    TOTPDevice.objects.create(user=user, name="e2e", confirmed=True)
    return user


def test_a_researcher_proposes_a_project_on_a_phone_by_keyboard(
    phone: Any, live_server: Any, researcher: Any
) -> None:
    base = live_server.url
    login(phone, base, researcher.username, PASSWORD)
    phone.goto(f"{base}/onderzoek/")
    phone.get_by_role("link", name="Een onderzoeksproject voorstellen").focus()
    with phone.expect_navigation():
        phone.keyboard.press("Enter")
    assert phone.url == f"{base}/onderzoek/nieuw/"
    assert phone.get_by_role(
        "heading", name="Een onderzoeksproject voorstellen", level=1
    ).is_visible()
    for label in FIELDS.values():  # every field has its label
        assert phone.get_by_label(label, exact=True).is_visible()
    assert fits_phone(phone)

    # Sent empty: the summary takes the focus and links to each of the six fields.
    phone.get_by_role("button", name="Voorstel indienen").focus()
    with phone.expect_navigation():
        phone.keyboard.press("Enter")
    summary = phone.locator("#error-summary")
    assert summary.is_visible()
    assert focused_id(phone) == "error-summary"
    assert summary.get_by_role("heading", name="Er zijn 6 dingen nog niet goed").is_visible()
    links = summary.get_by_role("link")
    assert links.count() == 6
    for i, (field_id, label) in enumerate(FIELDS.items()):
        link = links.nth(i)
        assert link.inner_text().startswith(f"{label}: "), link.inner_text()
        assert link.get_attribute("href") == f"#{field_id}"
        field = phone.locator(f"#{field_id}")
        assert field.get_attribute("aria-invalid") == "true"
        assert f"{field_id}-error" in (field.get_attribute("aria-describedby") or "")
    assert not ResearchProject.objects.exists()
    assert fits_phone(phone)
    screenshot(phone, "research-propose-phone-empty")

    # From the summary's first link to the title, then every field in turn with Tab.
    links.first.focus()
    phone.keyboard.press("Enter")
    assert focused_id(phone) == "id_title"
    phone.keyboard.type("Terugkeer na ouderschapsverlof")
    phone.keyboard.press("Tab")
    assert focused_id(phone) == "id_research_question"
    phone.keyboard.type("Hoe verloopt de loopbaan na ouderschapsverlof?")
    phone.keyboard.press("Tab")
    assert focused_id(phone) == "id_institution"
    phone.keyboard.type("Universiteit Utrecht")
    phone.keyboard.press("Tab")
    assert focused_id(phone) == "id_planned_end"
    # Chromium orders the date field's parts by its own language, not the page's: a day
    # equal to its month reads the same either way.
    end = dt.date(timezone.localdate().year + 2, 3, 3)
    phone.keyboard.type(end.strftime("%d%m%Y"))
    assert phone.locator("#id_planned_end").input_value() == end.isoformat()
    for _stop in range(4):  # past the date's own parts and calendar button, if any
        phone.keyboard.press("Tab")
        if focused_id(phone) != "id_planned_end":
            break
    assert focused_id(phone) == "id_data_needed"
    phone.keyboard.type("Loopbaanschalen en achtergrond (gender, leeftijd).")
    phone.keyboard.press("Tab")
    assert focused_id(phone) == "id_ethics_reference"
    phone.keyboard.type("ETC-2026-041")
    phone.keyboard.press("Tab")
    assert phone.evaluate("document.activeElement.textContent") == "Voorstel indienen"
    with phone.expect_navigation():
        phone.keyboard.press("Enter")

    # On the proposal's page: pending, with what was proposed.
    # (the summary's #id_title stays on the address across the redirect; nothing has that id)
    assert phone.url.split("#")[0] == f"{base}/onderzoek/terugkeer-na-ouderschapsverlof/"
    assert phone.get_by_role("heading", name="Terugkeer na ouderschapsverlof", level=1).is_visible()
    assert phone.get_by_text("Je voorstel is ingediend.").is_visible()
    assert phone.get_by_text("Status: Wacht op goedkeuring.").is_visible()
    assert phone.get_by_text("ETC-2026-041").is_visible()
    found = ResearchProject.objects.get()
    assert (found.state, found.lead, found.institution, found.planned_end) == (
        ResearchProject.State.PENDING,
        researcher,
        "Universiteit Utrecht",
        end,
    )
    assert ProjectMember.objects.get(project=found).user == researcher
    assert fits_phone(phone)
    screenshot(phone, "research-propose-phone-done")
