"""Browser tests: Playwright driving Debian's headless Chromium (`make e2e`)."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# Playwright's sync API runs an event loop in the test thread; the live server's
# database access happens in its own thread, so this only silences Django's guard.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("KOERS_CHROMIUM", "/usr/bin/chromium")
SHOTS = Path(os.environ.get("KOERS_E2E_SHOTS", "var/e2e"))


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists() and not shutil.which(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make e2e`, which installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-background-networking", "--disable-gpu"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(locale="nl-NL", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def phone(browser: Any) -> Iterator[Any]:
    context = browser.new_context(
        locale="nl-NL", viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    yield page
    context.close()


def focused_id(page: Any) -> str:
    """The id of the element that has the keyboard focus."""
    return str(page.evaluate("document.activeElement && document.activeElement.id"))


PHONE_FITS = """() => {
  const boxes = [...document.querySelectorAll('.table-scroll, .table-wrap')];
  if (boxes.some(b => getComputedStyle(b).overflowX !== 'auto')) return false;
  if (document.documentElement.scrollWidth > 360) return false;  // nothing scrolls sideways
  const inBox = e => e.closest('.table-scroll, .table-wrap');
  return [...document.querySelectorAll('body *')]
    .filter(e => !inBox(e) || e.matches('.table-scroll, .table-wrap'))
    .every(e => e.getBoundingClientRect().right <= 360);
}"""


def fits_phone(page: Any) -> bool:
    """Nothing wider than the phone (360 px) but tables, which scroll inside their box,
    and the page itself does not scroll sideways."""
    return bool(page.evaluate(PHONE_FITS))


def screenshot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def login(page: Any, base: str, email: str, password: str | None = None) -> None:
    """Log in through the real form, with the authenticator step for staff roles."""
    from django.contrib.auth import get_user_model
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from koers.organisations.demo import DEMO_PASSWORD

    page.goto(f"{base}/accounts/login/")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord", exact=True).fill(password or DEMO_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_load_state()
    if "/accounts/2fa/" in page.url:
        user = get_user_model().objects.get(username=email)
        device = TOTPDevice.objects.get(user=user, confirmed=True)
        page.get_by_label("Code uit je authenticator-app").fill(f"{totp(device.bin_key):06d}")
        page.get_by_role("button", name="Controleren").click()
        page.wait_for_load_state()


def pdf_via_job(page: Any, button: str, shot: str = "") -> Any:
    """Ask for a PDF made in the background (koers.jobs.downloads) and download it: while it is
    made the button shows a progress bar, then the progress page offers the download.
    Returns Playwright's download."""
    # Without a worker the server makes the PDF before it answers; meanwhile the old page
    # shows the progress. Playwright cannot query a page that is navigating away, so the page
    # itself notes what it showed, in sessionStorage (kept across the navigation).
    page.evaluate(
        """() => {
          new MutationObserver(() => {
            const s = document.querySelector("form[data-pdf-start] [role=status]");
            if (s && s.querySelector("progress")) {
              sessionStorage.setItem("pdfWaiting", s.textContent);
            }
          }).observe(document.body, {subtree: true, childList: true, characterData: true});
        }"""
    )
    page.get_by_role("button", name=button).click()
    page.wait_for_url("**/download/*/")
    shown = page.evaluate("sessionStorage.getItem('pdfWaiting')") or ""
    assert "De PDF wordt gemaakt" in shown, shown
    assert page.get_by_role("heading", level=1).inner_text() == "Je PDF is klaar"
    progress = page.get_by_label("Voortgang")
    assert progress.get_attribute("value") == "100"
    assert "Klaar" in page.locator(".job-status[aria-live=polite]").inner_text()
    if shot:
        screenshot(page, f"{shot}-ready")
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile(r"^Download .*\.pdf")).click()
    return download.value
