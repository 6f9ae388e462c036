"""The reporting box in a real browser: a report from a phone, a reply, a reply back."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from koers.reportbox.demo import DEMO_TOKEN
from tests.e2e.conftest import login, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(db: Any) -> None:
    call_command("load_demo")


def _read_report(page: Any, base: str, code: str) -> None:
    page.goto(f"{base}/meld/mijn-melding/")
    page.get_by_label("Je meldcode").fill(code)
    page.get_by_role("button", name="Openen").click()
    page.wait_for_load_state()


def test_a_report_from_a_phone_gets_an_answer_from_the_adviser(
    phone: Any, page: Any, live_server: Any, demo: Any
) -> None:
    base = live_server.url
    phone.goto(f"{base}/meld/{DEMO_TOKEN}/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    phone.get_by_role("button", name="Melding versturen").click()
    # Nothing chosen or written: both fields say so, and nothing was sent; the focus is on
    # the error summary, which links to both fields.
    assert phone.locator(".field-error", has_text="Dit veld is verplicht.").count() == 2
    assert phone.evaluate("document.activeElement.id") == "error-summary"
    assert phone.locator("#error-summary a").count() == 2
    phone.get_by_label("Agressie of geweld").check()
    phone.get_by_label("Wat is er gebeurd?").fill("Er wordt gelachen om mijn accent.")
    phone.get_by_role("button", name="Melding versturen").click()
    code = phone.get_by_role("group", name="Meldcode").inner_text().strip()
    assert len(code.replace("-", "")) == 16
    screenshot(phone, "reportbox-code-phone")

    login(page, base, "vertrouwenspersoon@voorbeeld.nl")
    page.goto(f"{base}/o/voorbeeld-techniek/meldpunt/")
    row = page.get_by_role("row").filter(has_text="Agressie of geweld")
    row.get_by_role("link").click()
    assert page.get_by_text("Er wordt gelachen om mijn accent.").is_visible()
    page.get_by_label("Je bericht").fill("Dank je. Gebeurt dit in een overleg of daarbuiten?")
    page.get_by_role("button", name="Antwoord versturen").click()
    assert page.get_by_text("In behandeling").is_visible()

    _read_report(phone, base, code.lower())  # typed loosely, still found
    assert phone.get_by_text("Gebeurt dit in een overleg of daarbuiten?").is_visible()
    phone.get_by_label("Je bericht").fill("In het teamoverleg op maandag.")
    phone.get_by_role("button", name="Bericht versturen").click()
    phone.wait_for_load_state()
    assert phone.get_by_text("In het teamoverleg op maandag.").is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone, "reportbox-conversation-phone")
    assert code not in phone.url  # the code never travels in an address


def test_a_report_can_be_sent_with_the_keyboard_alone(
    page: Any, live_server: Any, demo: Any
) -> None:
    page.goto(f"{live_server.url}/meld/{DEMO_TOKEN}/")
    page.get_by_label("Seksuele intimidatie").focus()
    page.keyboard.press("ArrowDown")  # moves within the radio group and selects
    assert page.get_by_label("Discriminatie").is_checked()
    page.keyboard.press("Tab")
    page.keyboard.type("Opmerkingen over vrouwen in de techniek tijdens de lunch.")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent").strip() == "Melding versturen"
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Je melding is ontvangen").wait_for()


def test_the_adviser_reads_the_inbox_on_a_phone(phone: Any, live_server: Any, demo: Any) -> None:
    login(phone, live_server.url, "vertrouwenspersoon@voorbeeld.nl")
    phone.goto(f"{live_server.url}/o/voorbeeld-techniek/meldpunt/")
    assert phone.get_by_role("heading", name="Meldingen").is_visible()
    # The page itself does not scroll sideways; the table scrolls in its own region.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    region = phone.get_by_role("region", name="Meldingen bij dit meldpunt")
    assert region.get_attribute("tabindex") == "0"
    screenshot(phone, "reportbox-inbox-phone")
