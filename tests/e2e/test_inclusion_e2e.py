"""The inclusion survey on a phone (360 × 740) with the keyboard only: from the campaign's
open link to the thank-you page with Tab, Space, Enter and the arrow keys, no clicks.

On every survey page nothing scrolls sideways, every answer control (each option of each
question) is reached from the keyboard, and each focused element shows a focus ring of at
least 3:1 (WCAG 2.2: 2.1.1 keyboard, 2.4.7 focus visible, 1.4.10 reflow, 1.4.11 contrast).
"""

from __future__ import annotations

from typing import Any

import pytest

from koers.instruments import get_instrument
from koers.surveys.models import Campaign, Response
from tests.e2e.conftest import screenshot
from tests.e2e.test_a11y_e2e import FOCUS_RING
from tests.e2e.test_compass_e2e import ALL_SAVED

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# The focused element, described: what the loop below does next depends on it.
ACTIVE = """
() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const form = el.closest('form.survey-form');
  return { tag: el.tagName, type: el.type || '', name: el.name || '', value: el.value || '',
           text: (el.textContent || '').trim(), inSurvey: !!form,
           group: el.closest('fieldset') ? el.closest('fieldset').className : '',
           checked: !!el.checked };
}
"""
# Every answer control on the page: question name -> its option values (a text field: [""]).
CONTROLS = """
() => {
  const out = {};
  for (const el of document.querySelectorAll('form.survey-form input:not([type=hidden])')) {
    if (!el.closest('.question') || el.closest('[hidden]')) continue;
    (out[el.name] = out[el.name] || []).push(el.type === 'radio' ? el.value : '');
  }
  return out;
}
"""
SIDEWAYS = "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
PREFERRED = {"gender": "woman"}  # the rest: the fourth option of a scale, else the first
MAX_PRESSES = 400


@pytest.fixture
def campaign(db: Any) -> Campaign:
    from koers.organisations.models import Organisation

    org = Organisation.objects.create(name="Techniek BV", slug="techniek")
    inclusion = get_instrument("inclusion")
    return Campaign.objects.create(
        organisation=org,
        name="Inclusiemonitor",
        instrument_key=inclusion.key,
        instrument_version=inclusion.version,
        public_token="e2e-inclusie",
        departments=["Engineering", "Productie"],
    )


def _ring(page: Any) -> None:
    ring = page.evaluate(FOCUS_RING)
    assert ring is not None, f"focus lost on {page.url}"
    assert ring["best"] >= 3.0, f"no visible focus on {ring['tag']} at {page.url}"


def _tab(page: Any, *, backwards: bool = False) -> dict[str, Any]:
    page.keyboard.press("Shift+Tab" if backwards else "Tab")
    active = page.evaluate(ACTIVE)
    assert active is not None, f"Tab left the page's controls on {page.url}"
    _ring(page)
    return dict(active)


def _tab_to(page: Any, label: str) -> None:
    """Tab forward until the focused link or button says ``label``; Enter it."""
    for _ in range(MAX_PRESSES):
        active = _tab(page)
        if active["text"].startswith(label) and active["tag"] in ("A", "BUTTON"):
            with page.expect_navigation():
                page.keyboard.press("Enter")
            return
    raise AssertionError(f"{label!r} not reachable with Tab on {page.url}")


def _walk_group(page: Any, name: str, values: list[str]) -> list[str]:
    """Focus is on the group's first option: Space checks it, the arrows visit every other
    option, then go back to the chosen one. Returns the values checked on the way."""
    seen = []
    page.keyboard.press("Space")
    seen.append(page.evaluate("document.activeElement.value"))
    _ring(page)
    for _ in values[1:]:
        page.keyboard.press("ArrowDown")
        seen.append(page.evaluate("document.activeElement.value"))
        _ring(page)
    wanted = PREFERRED.get(name, values[3] if len(values) == 5 else values[0])
    for _ in range(len(values) - 1 - values.index(wanted)):
        page.keyboard.press("ArrowUp")
    checked = page.evaluate(f"document.querySelector('input[name=\"{name}\"]:checked').value")
    assert checked == wanted, name
    return seen


def _fill_page_with_keys(page: Any) -> list[str]:
    """Answer every question of a survey page with the keyboard; Enter on "Volgende" or
    "Naar afronden". Returns the questions answered."""
    controls: dict[str, list[str]] = page.evaluate(CONTROLS)
    assert controls, page.url
    done: dict[str, list[str]] = {}
    for _ in range(MAX_PRESSES):
        active = _tab(page)
        if not active["inSurvey"]:
            continue
        name = active["name"]
        if active["type"] == "radio" and name not in done:
            # Tab enters a group on its first option (none is checked yet).
            assert active["value"] == controls[name][0], f"{name}: entered on {active['value']}"
            done[name] = _walk_group(page, name, controls[name])
        elif active["type"] == "text" and name not in done:
            page.keyboard.type("Meer flexibele werktijden")
            done[name] = [""]
        elif active["tag"] == "BUTTON" and active["text"] in ("Volgende", "Naar afronden"):
            assert done == controls, f"not every option reached on {page.url}"
            page.wait_for_function(ALL_SAVED)
            with page.expect_navigation():
                page.keyboard.press("Enter")
            return list(done)
    raise AssertionError(f"no way forward with the keyboard on {page.url}")


def test_a_respondent_fills_in_the_inclusion_survey_on_a_phone_with_the_keyboard_only(
    phone: Any, live_server: Any, campaign: Campaign
) -> None:
    page = phone
    page.goto(f"{live_server.url}/s/{campaign.public_token}/")
    _tab_to(page, "Start")
    _tab_to(page, "Begin met de vragen")
    page.wait_for_url("**/deel/**")
    answered: list[str] = []
    pages = 0
    while "/deel/" in page.url:
        pages += 1
        width = page.evaluate(SIDEWAYS)
        assert width[0] <= width[1], f"{page.url} scrolls sideways on a phone: {width}"
        if pages == 1:
            screenshot(page, "inclusion-phone-first-page")
        answered += _fill_page_with_keys(page)
    instrument = campaign.instrument()
    assert pages == len(instrument.sections)
    # Every question of the instrument, and the campaign's department question.
    assert set(answered) == {item.id for item in instrument.items} | {"department"}
    assert page.evaluate(SIDEWAYS)[0] <= page.evaluate(SIDEWAYS)[1], "the review page"
    _tab_to(page, "Afronden")
    page.wait_for_url("**/bedankt/")
    width = page.evaluate(SIDEWAYS)
    assert width[0] <= width[1], f"the thank-you page scrolls sideways: {width}"
    assert page.get_by_role("heading", name="Bedankt voor het invullen!").is_visible()
    response = Response.objects.get()
    assert response.finished_on is not None
    answers = response.answers()
    assert answers["gender"] == "woman"
    assert answers["psych_safety_1"] == 4
