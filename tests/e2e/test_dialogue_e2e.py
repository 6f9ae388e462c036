"""A round-table session in real browsers: a facilitator and three participants on phones."""

from __future__ import annotations

from typing import Any

import pytest

from koers.organisations.models import Role
from tests.conftest import PASSWORD
from tests.e2e.conftest import login, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_a_facilitator_and_three_phones_play_a_card_and_nothing_shows_below_k(
    browser: Any, page: Any, live_server: Any, member_of: Any
) -> None:
    base = live_server.url
    facilitator = member_of(Role.MANAGER)
    login(page, base, facilitator.username, PASSWORD)
    page.goto(f"{base}/o/alpha/dialoog/nieuw/")
    page.get_by_label("Titel").fill("Teamoverleg")
    page.get_by_label("Team", exact=True).fill("Ontwerp")
    for theme in ("Ouderschap en verlof", "Flexibiliteit", "Mentale belasting"):
        page.get_by_label(theme).uncheck()
    for theme in ("Loopbaanstappen", "Teamcultuur"):
        page.get_by_label(theme).uncheck()
    page.get_by_role("button", name="Sessie openen").click()
    code = page.get_by_test_id("session-code").inner_text().strip()
    assert len(code.replace("-", "")) == 6

    phones = []
    for i in range(3):
        context = browser.new_context(
            locale="nl-NL", viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True
        )
        phone = context.new_page()
        phone.goto(f"{base}/dialoog/")
        phone.get_by_label("Sessiecode").fill(code.lower() if i == 0 else code)
        phone.get_by_role("button", name="Meedoen").click()
        assert phone.get_by_role("heading", name="Even wachten").is_visible()
        assert phone.evaluate("document.documentElement.scrollWidth") <= 360
        phones.append(phone)

    page.reload()
    assert page.get_by_text("3 deelnemers doen mee.").is_visible()
    page.get_by_role("button", name="Eerste kaart").click()
    for i, phone in enumerate(phones):
        # The small poll reloads the page when the card is on the table.
        phone.get_by_text("Jouw antwoord", exact=True).wait_for(timeout=10_000)
        phone.get_by_label("Oneens" if i == 0 else "Eens", exact=True).check()
        phone.get_by_role("button", name="Versturen").click()
        assert phone.get_by_text("Je antwoord is binnen.").is_visible()
        # Three answers are fewer than k = 5: no counts, only the waiting line.
        assert phone.get_by_text("De uitkomst verschijnt als minstens 5 mensen").is_visible()
        assert phone.locator("table").count() == 0
    screenshot(phones[0], "dialogue-phone-waiting")

    page.reload()
    assert page.get_by_text("3 antwoorden binnen.").is_visible()
    assert page.locator("table").count() == 0
    page.get_by_role("button", name="Volgende kaart").click()  # the choice card
    page.get_by_role("button", name="Volgende kaart").click()  # the text card
    assert page.get_by_role("button", name="Tekstantwoorden vrijgeven").is_visible()
    page.get_by_role("button", name="Tekstantwoorden vrijgeven").click()
    assert page.get_by_text("pas worden vrijgegeven als de groep groot genoeg is").is_visible()
    screenshot(page, "dialogue-facilitator")
    page.get_by_role("button", name="Sessie afsluiten").click()
    assert page.get_by_role("heading", name="Samenvatting: Teamoverleg").is_visible()
    for phone in phones:
        phone.reload()
        assert phone.get_by_role("heading", name="Het gesprek is afgesloten").is_visible()
        phone.context.close()
