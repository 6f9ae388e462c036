"""Journey 1: Sanne fills in the Career Compass on her phone (360×740), with a reload in the
middle, resumes on her laptop from the link, and finishes; and the same with the keyboard only."""

from __future__ import annotations

from typing import Any

import pytest

from koers.surveys.models import Campaign, Response
from tests.e2e.conftest import screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

# Fills every question on the current page; returns how many were answered.
FILL_PAGE = """
() => {
  let n = 0;
  for (const q of document.querySelectorAll('[data-item]')) {
    if (q.hidden) continue;  // a follow-up not (yet) shown in place
    const radios = q.querySelectorAll('input[type=radio]');
    if (radios.length) {
      if (![...radios].some(r => r.checked)) {
        const pick = radios[Math.min(3, radios.length - 1)];
        pick.closest('label').click();
        n++;
      }
      continue;
    }
    const txt = q.querySelector('input[type=text]');
    if (txt && !txt.value) {
      txt.value = 'procesingenieur';
      txt.dispatchEvent(new Event('change', {bubbles: true}));
      n++;
    }
    const num = q.querySelector('input[type=number]');
    if (num && !num.value) {
      num.value = num.min && Number(num.min) > 0 ? num.min : '30';
      num.dispatchEvent(new Event('change', {bubbles: true}));
      n++;
    }
  }
  return n;
}
"""

ALL_SAVED = """
() => [...document.querySelectorAll('.save-status')].every(
  el => !el.textContent || el.classList.contains('ok'))
"""


@pytest.fixture
def campaign(db: Any) -> Campaign:
    from koers.instruments import get_instrument
    from koers.organisations.models import Organisation

    org = Organisation.objects.create(name="Alumni NL", slug="alumni")
    compass = get_instrument("career_compass")
    return Campaign.objects.create(
        organisation=org,
        name="Carrière Kompas alumni",
        instrument_key=compass.key,
        instrument_version=compass.version,
        public_token="e2e-kompas",
    )


def fill(page: Any) -> None:
    """Answer everything on the page, again after a reload that shows new questions."""
    from playwright.sync_api import Error

    for _ in range(5):
        try:
            answered = page.evaluate(FILL_PAGE)
            page.wait_for_function(ALL_SAVED)
            page.wait_for_timeout(150)  # a reload triggered by the last save starts here
            page.wait_for_load_state()
        except Error:  # the page reloaded under us: new questions appeared
            page.wait_for_load_state()
            continue
        if answered == 0:
            return


def _start(page: Any, base: str) -> tuple[str, str]:
    page.goto(f"{base}/s/e2e-kompas/")
    page.get_by_role("button", name="Start").click()
    code = page.locator(".resume-code").inner_text()
    page.get_by_role("link", name="Begin met de vragen").click()
    page.wait_for_url("**/deel/**")
    # The link secret lives in an HttpOnly cookie for this response's pages, not in the URL.
    (cookie,) = [c for c in page.context.cookies() if c["name"].startswith("koers_r_")]
    assert cookie["httpOnly"]
    assert cookie["sameSite"] == "Lax"
    assert cookie["path"].startswith("/invullen/")
    secret = cookie["value"]
    assert secret not in page.url
    return secret, code


def _answers_in_db() -> dict[str, Any]:
    return Response.objects.get().answers()


def test_sanne_fills_in_the_compass_on_her_phone(
    phone: Any, browser: Any, live_server: Any, campaign: Campaign
) -> None:
    secret, code = _start(phone, live_server.url)
    assert len(code.replace("-", "")) == 12
    screenshot(phone, "compass-first-page-phone")
    pages = 0
    while "/deel/" in phone.url:
        pages += 1
        fill(phone)
        if pages == 3:
            # The train enters a tunnel: she reloads; every answer on the page is still there.
            before = _answers_in_db()
            phone.reload()
            checked = phone.evaluate(
                "() => [...document.querySelectorAll('input[type=radio]:checked')].length"
            )
            assert checked == len(phone.locator("[data-item]").all())
            assert _answers_in_db() == before
            screenshot(phone, "compass-scale-page-phone")
            # That evening she opens the link on her laptop: same answers, first open item.
            laptop = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
            lp = laptop.new_page()
            lp.goto(f"{live_server.url}/r/{secret}/")
            lp.wait_for_url("**/deel/**")
            assert secret not in lp.url
            assert lp.url.split("#")[0] != phone.url.split("#")[0] or "#q-" in lp.url
            laptop.close()
        assert phone.evaluate("document.documentElement.scrollWidth") <= 360
        with phone.expect_navigation():
            phone.get_by_role("button", name="Volgende").or_(
                phone.get_by_role("button", name="Naar afronden")
            ).click()
    assert pages >= 10
    assert "/afronden/" in phone.url
    phone.get_by_role("button", name="Afronden").or_(
        phone.get_by_role("button", name="Toch afronden")
    ).first.click()
    phone.wait_for_url("**/rapport/")
    assert secret not in phone.url
    assert Response.objects.get().is_finished
    # Her report appears at once, with the profile in words and a PDF to download.
    assert "Je profiel" in phone.get_by_role("heading", level=2).first.inner_text()
    screenshot(phone, "compass-report-phone")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    with phone.expect_download() as download:
        phone.get_by_role("link", name="Download als PDF").click()
    path = download.value.path()
    assert open(path, "rb").read(4) == b"%PDF"
    from koers.instruments import unanswered_items

    answers = _answers_in_db()
    assert unanswered_items(campaign.instrument(), answers) == ()
    assert answers["title_other"] == "procesingenieur"


def test_a_respondent_resumes_with_the_code_in_a_new_browser(
    page: Any, browser: Any, live_server: Any, campaign: Campaign
) -> None:
    _secret, code = _start(page, live_server.url)
    fill(page)
    first_page_answers = _answers_in_db()
    other = browser.new_context(locale="nl-NL")
    op = other.new_page()
    op.goto(f"{live_server.url}/hervatten/")
    op.get_by_label("Hervatcode (12 tekens)").fill(code.lower())
    op.get_by_role("button", name="Verder").click()
    op.wait_for_url("**/deel/**")
    assert code.replace("-", "") not in op.url.replace("-", "").upper()
    if "#q-" in op.url:
        assert op.url.split("#q-")[1] not in first_page_answers
    else:  # page 1 is done: the next page, untouched, opens at its top
        assert "/deel/start/" not in op.url
    other.close()


def test_the_compass_can_be_completed_with_the_keyboard_alone(
    page: Any, live_server: Any, campaign: Campaign
) -> None:
    _start(page, live_server.url)
    for _ in range(40):  # pages
        if "/deel/" not in page.url:
            break
        for _ in range(400):  # key presses on one page
            page.keyboard.press("Tab")
            kind = page.evaluate(
                """() => {
                  const el = document.activeElement;
                  if (!el) return 'none';
                  if (el.type === 'radio') {
                    const group = document.querySelectorAll(`input[name="${el.name}"]`);
                    return [...group].some(r => r.checked) ? 'done-radio' : 'radio';
                  }
                  if (el.type === 'number') return el.value ? 'done' : 'number:' + (el.min || '35');
                  if (el.tagName === 'BUTTON' && el.value === 'next') return 'next';
                  if (el.tagName === 'BUTTON' && el.value === 'review') return 'next';
                  return 'other';
                }"""
            )
            if kind == "radio":
                page.keyboard.press("ArrowRight")  # moves and selects within the group
            elif kind.startswith("number:"):
                page.keyboard.type(str(max(35, int(kind.split(":")[1]))))
            elif kind == "next":
                page.wait_for_function(ALL_SAVED)
                with page.expect_navigation():
                    page.keyboard.press("Enter")
                break
    assert "/afronden/" in page.url
    page.keyboard.press("Tab")
    for _ in range(50):
        label = page.evaluate("document.activeElement.textContent || ''")
        if "fronden" in label:
            with page.expect_navigation():
                page.keyboard.press("Enter")
            break
        page.keyboard.press("Tab")
    page.wait_for_url("**/rapport/")
    assert Response.objects.get().is_finished
