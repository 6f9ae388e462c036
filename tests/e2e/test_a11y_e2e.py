"""WCAG checks a tool misses, in a real browser: the focus ring's contrast against what is
behind it (1.4.11, from computed styles) and 200 % text on a 360 px phone (1.4.10: no
sideways scrolling; scale buttons at least 24 px) on the respondent pages, the report
and the Gender Scan."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from koers.surveys.models import Campaign
from tests.e2e.conftest import login, screenshot
from tests.e2e.test_compass_e2e import _start, fill

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Contrast of the focused element's ring against the colour behind it, from computed
# styles: the outline, and a box-shadow halo when there is one (a two-tone ring passes
# when either tone reaches 3:1). The background is the first opaque one up the tree.
FOCUS_RING = """
() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const parse = (c) => {
    const m = c.match(/rgba?\\(([^)]+)\\)/);
    if (!m) return null;
    const p = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
    return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 };
  };
  const lum = ({ r, g, b }) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const ratio = (x, y) => {
    const [a, b] = [lum(x), lum(y)].sort((p, q) => q - p);
    return (a + 0.05) / (b + 0.05);
  };
  // The ring sits outside the element: what is behind it is the parent's background.
  let node = el.parentElement, bg = null;
  while (node) {
    const c = parse(getComputedStyle(node).backgroundColor);
    if (c && c.a > 0.5) { bg = c; break; }
    node = node.parentElement;
  }
  bg = bg || { r: 255, g: 255, b: 255, a: 1 };
  // A hidden radio shows its focus on the visible number next to it.
  const shown = el.matches('.likert input') ? el.nextElementSibling : el;
  const s = getComputedStyle(shown);
  const tones = [];
  if (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2) {
    const c = parse(s.outlineColor); if (c) tones.push(ratio(c, bg));
  }
  const shadow = s.boxShadow && s.boxShadow !== 'none' ? parse(s.boxShadow) : null;
  if (shadow) tones.push(ratio(shadow, bg));
  const kind = el.type ? '[' + el.type + ']' : '';
  return { tag: el.tagName + kind + (el.className ? '.' + el.className : ''),
           best: tones.length ? Math.max(...tones) : 0 };
}
"""


def check_focus_rings(page: Any, presses: int = 25) -> int:
    """Tab through the page; every focused element's ring reaches 3:1. Returns how many."""
    page.evaluate("window.scrollTo(0, 0); document.activeElement && document.activeElement.blur()")
    seen = 0
    for _ in range(presses):
        page.keyboard.press("Tab")
        ring = page.evaluate(FOCUS_RING)
        if ring is None:
            continue
        seen += 1
        assert ring["best"] >= 3.0, (
            f"focus ring of {ring['tag']} on {page.url}: {ring['best']:.2f}:1"
        )
    return seen


# Text at 200 %, as a browser's text-size setting does it (the root font size; every size
# in koers.css is in rem or em). Set through the CSSOM: the CSP forbids inline style tags.
BIG_TEXT = "document.documentElement.style.setProperty('font-size', '200%', 'important')"


def check_reflow(page: Any, name: str) -> None:
    """At 200 % text on a 360 px screen nothing scrolls sideways; scale buttons ≥ 24 px."""
    page.evaluate(BIG_TEXT)
    page.wait_for_timeout(100)
    width = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    wide = page.evaluate(
        """(w) => [...document.querySelectorAll('body *')]
              .filter(el => el.getBoundingClientRect().right > w + 0.5 ||
                            (getComputedStyle(el).overflowX === 'visible' &&
                             el.getBoundingClientRect().left + el.scrollWidth > w + 0.5))
              .filter(el => !(el.parentElement && el.parentElement.closest('.scan-table-wrap')))
              .filter(el => !el.closest('svg') || el.tagName === 'svg')
              .slice(-4).map(el => el.tagName + '.' + el.className + ' ' +
                               (el.textContent || '').trim().slice(0, 40))""",
        width[1],
    )
    assert width[0] <= width[1], f"{name} scrolls sideways at 200 % text: {width} {wide}"
    sizes = page.evaluate(
        """() => [...document.querySelectorAll('.likert .point-number, .button')]
              .filter(el => el.offsetParent)
              .map(el => { const r = el.getBoundingClientRect(); return [r.width, r.height]; })"""
    )
    for w, h in sizes:
        assert w >= 24, f"{name}: a target {w:.0f} px wide"
        assert h >= 24, f"{name}: a target {h:.0f} px high"
    screenshot(page, f"{name}-200pct-360")


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


def test_respondent_pages_and_report_keep_focus_visible_and_reflow_at_200_percent(
    browser: Any, live_server: Any, campaign: Campaign
) -> None:
    desk = browser.new_context(locale="nl-NL", viewport={"width": 1280, "height": 900})
    page = desk.new_page()
    _start(page, live_server.url)
    # Page 1 opens at its top: the heading is in view, not scrolled past.
    assert "#" not in page.url
    assert page.evaluate("window.scrollY") == 0
    assert check_focus_rings(page) >= 5
    # "Something else, namely …" shows its text field in place: no reload, focus kept.
    page.evaluate("window.notReloaded = true")
    other = page.get_by_label("Iets anders, namelijk …")
    other.focus()
    page.keyboard.press("Space")
    page.get_by_label("Welke titel past bij jou?").wait_for(state="visible", timeout=2000)
    page.wait_for_timeout(1500)  # the autosave has answered by now
    assert page.evaluate("window.notReloaded") is True
    assert page.evaluate("document.activeElement.value") == "other"
    phone = browser.new_context(
        locale="nl-NL",
        viewport={"width": 360, "height": 740},
        is_mobile=True,
        has_touch=True,
        storage_state=desk.storage_state(),
    ).new_page()
    scale_pages = 0
    while "/deel/" in page.url:
        if page.locator(".likert").count() and scale_pages < 2:
            scale_pages += 1
            assert check_focus_rings(page) >= 5
            phone.goto(page.url.split("#")[0])
            check_reflow(phone, f"compass-scale-{scale_pages}")
        fill(page)
        with page.expect_navigation():
            page.get_by_role("button", name="Volgende").or_(
                page.get_by_role("button", name="Naar afronden")
            ).click()
    assert scale_pages == 2
    page.get_by_role("button", name="Afronden").or_(
        page.get_by_role("button", name="Toch afronden")
    ).first.click()
    page.wait_for_url("**/rapport/")
    assert check_focus_rings(page) >= 3
    phone.goto(page.url)
    check_reflow(phone, "compass-report")
    desk.close()


@pytest.fixture
def demo(db: Any) -> None:
    call_command("load_demo")


def test_the_gender_scan_keeps_focus_visible_and_reflows_at_200_percent(
    browser: Any, live_server: Any, demo: Any
) -> None:
    desk = browser.new_context(locale="nl-NL", viewport={"width": 1280, "height": 900})
    page = desk.new_page()
    login(page, live_server.url, "hr@voorbeeld.nl")
    page.goto(f"{live_server.url}/o/voorbeeld-techniek/")
    assert check_focus_rings(page) >= 5
    page.goto(f"{live_server.url}/o/voorbeeld-techniek/scan/")
    assert check_focus_rings(page, presses=40) >= 10
    # The contents list leads to each section; a section folds with the keyboard and
    # prints unfolded.
    assert page.get_by_role("navigation", name="Inhoud").is_visible()
    fold = page.locator("details.scan-fold").filter(has=page.locator("#stromen"))
    fold.locator("> summary").focus()
    page.keyboard.press("Enter")
    assert fold.evaluate("d => d.open") is False
    table = fold.locator("table").first
    assert not table.is_visible()
    page.emulate_media(media="print")
    assert table.is_visible()
    page.emulate_media(media="screen")
    page.get_by_role("navigation", name="Inhoud").get_by_role(
        "link", name="In-, door- en uitstroom"
    ).click()
    assert fold.evaluate("d => d.open") is True
    phone = browser.new_context(
        locale="nl-NL",
        viewport={"width": 360, "height": 740},
        is_mobile=True,
        has_touch=True,
        storage_state=desk.storage_state(),
    ).new_page()
    phone.goto(f"{live_server.url}/o/voorbeeld-techniek/scan/")
    check_reflow(phone, "gender-scan")
    desk.close()
