"""The fair-flexibility register (issue 20) on a phone, with the keyboard only."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from koers.dialogue.models import FlexRequest
from koers.organisations.models import Role
from tests.conftest import PASSWORD
from tests.e2e.conftest import login, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def _focused(page: Any) -> str:
    return str(page.evaluate("document.activeElement && document.activeElement.id"))


FITS = """() => {
  const boxes = [...document.querySelectorAll('.table-scroll')];
  if (boxes.some(b => getComputedStyle(b).overflowX !== 'auto')) return false;
  return [...document.querySelectorAll('body *')]
    .filter(e => !e.closest('.table-scroll') || e.matches('.table-scroll'))
    .every(e => e.getBoundingClientRect().right <= 360);
}"""


def _fits(page: Any) -> bool:
    """Nothing wider than the phone (360 px) but tables, which scroll inside their box."""
    return bool(page.evaluate(FITS))


def test_a_manager_records_a_decision_on_a_phone_by_keyboard_and_sees_only_totals(
    phone: Any, live_server: Any, member_of: Any
) -> None:
    base = live_server.url
    today = timezone.localdate()
    manager = member_of(Role.MANAGER)
    login(phone, base, manager.username, PASSWORD)
    phone.goto(f"{base}/o/alpha/flexibiliteit/vastleggen/")
    assert phone.get_by_role("heading", name="Een besluit vastleggen", level=1).is_visible()
    assert _fits(phone)

    # Sent empty: an error summary that takes the focus and links to each field.
    phone.get_by_role("button", name="Vastleggen").focus()
    with phone.expect_navigation():
        phone.keyboard.press("Enter")
    summary = phone.locator("#error-summary")
    assert summary.is_visible()
    assert _focused(phone) == "error-summary"
    assert summary.get_by_role("link", name="Team: ").first.get_attribute("href") == "#id_team"
    assert phone.locator("#id_team").get_attribute("aria-invalid") == "true"

    # Every field by its label, moving on with Tab.
    phone.get_by_label("Team", exact=True).focus()
    phone.keyboard.type("Zorg")
    phone.keyboard.press("Tab")
    assert _focused(phone) == "id_kind"
    phone.keyboard.press("End")  # the last kind: Rooster en werktijden
    phone.keyboard.press("Tab")
    assert _focused(phone) == "id_outcome_0"  # the first radio button: Toegekend
    phone.keyboard.press("Space")
    assert phone.get_by_label("Toegekend", exact=True).is_checked()
    # The two choices are one group with its question as the legend.
    group = phone.get_by_role("group", name="Besluit")
    assert group.get_by_role("radio").count() == 2
    phone.get_by_label("Reden").focus()
    phone.keyboard.press("ArrowDown")  # Past bij het werk → Zorg voor kinderen of naasten
    phone.get_by_label("Gender van wie het vroeg").focus()
    phone.keyboard.press("Home")  # Vrouw
    phone.get_by_label("Datum van het besluit").fill(today.isoformat())
    phone.get_by_label("Team", exact=True).focus()
    with phone.expect_navigation():
        phone.keyboard.press("Enter")  # Enter in a text field sends the form

    assert phone.get_by_text("Het verzoek staat in het register.").is_visible()
    assert phone.locator("#error-summary").count() == 0
    row = FlexRequest.objects.get()
    assert (row.team, row.kind, row.outcome, row.reason, row.gender) == (
        "Zorg",
        "schedule",
        "granted",
        "care",
        "female",
    )
    mine = phone.get_by_role("table")
    assert mine.get_by_role("cell", name="Zorg", exact=True).is_visible()
    assert mine.get_by_role("button", name="Verwijderen").is_visible()
    assert _fits(phone)
    screenshot(phone, "flex-register-phone-recorded")

    # To the overview by keyboard: the request lies in the open year, so no figures at all
    # (not even a count), only the day they appear.
    phone.get_by_role("link", name="Naar het overzicht").focus()
    with phone.expect_navigation():
        phone.keyboard.press("Enter")
    assert phone.get_by_role("heading", name="Eerlijke flexibiliteit", level=1).is_visible()
    note = f"De cijfers over {today.year} verschijnen op 1 januari {today.year + 1}"
    assert phone.get_by_text(note).is_visible()
    assert phone.get_by_text("Er zijn nog geen cijfers over een afgelopen jaar.").is_visible()
    assert phone.get_by_role("table").count() == 0
    assert _fits(phone)
    screenshot(phone, "flex-register-phone-overview")
