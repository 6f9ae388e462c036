"""The newcomer's path in a real browser: log in, look around, switch language, run a job."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from tests.e2e.conftest import login, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(db: Any) -> None:
    call_command("load_demo")


def _login(page: Any, base: str, email: str) -> None:
    login(page, base, email)


def test_demo_admin_logs_in_and_sees_the_state_of_the_organisation(
    page: Any, live_server: Any, demo: Any
) -> None:
    """The home page shows the organisation (latest baseline, campaigns, what next) and
    nothing meant for developers (issue 14). Background jobs with progress are followed in
    the browser by the Gender Scan upload (test_scan_e2e.py)."""
    _login(page, live_server.url, "admin@voorbeeld.nl")
    page.wait_for_url("**/o/voorbeeld-techniek/")
    assert page.get_by_role("heading", level=1).inner_text() == "Voorbeeld Techniek B.V."
    screenshot(page, "dashboard")
    assert "Laatste nulmeting: peildatum" in page.locator("main").inner_text()
    assert page.get_by_role("heading", name="Wat nu?").is_visible()
    assert page.get_by_role("button", name="Test de takenwachtrij").count() == 0
    page.get_by_role("link", name="Naar de nulmeting").click()
    page.wait_for_url("**/scan/*/")
    assert page.get_by_role("heading", level=1).inner_text() == "Gender Scan"


def test_language_switch_turns_the_interface_english(
    page: Any, live_server: Any, demo: Any
) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("button", name="EN – English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_label("Password", exact=True).is_visible()


def test_keyboard_users_reach_the_content_first(page: Any, live_server: Any, demo: Any) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    # The stylesheet is served and hides the skip link until it has focus.
    skip = page.get_by_role("link", name="Naar de inhoud")
    assert skip.evaluate("el => getComputedStyle(el).position") == "absolute"
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused.strip() == "Naar de inhoud"


def test_the_login_page_fits_a_phone_screen(phone: Any, live_server: Any, demo: Any) -> None:
    phone.goto(f"{live_server.url}/accounts/login/")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
    screenshot(phone, "login-phone")
    _login(phone, live_server.url, "hr@voorbeeld.nl")
    phone.wait_for_url("**/o/voorbeeld-techniek/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
