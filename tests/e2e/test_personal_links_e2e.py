"""HR makes the workers' personal links to the pay desk on a phone, with the keyboard only
(docs/pay-transparency.md, "personal link")."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

from koers.organisations.models import Role
from koers.paytransparency.models import PersonalLink
from tests.conftest import PASSWORD
from tests.e2e.conftest import fits_phone, focused_id, login, screenshot
from tests.paytransparency.test_personal_links import snapshot_numbers

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(org_a: Any) -> Any:
    from koers.paytransparency.demo import load_demo_paytransparency
    from koers.scan.demo import load_demo_scan

    load_demo_scan(org_a)
    load_demo_paytransparency(org_a)
    return org_a


def test_hr_makes_personal_links_on_a_phone_by_keyboard(
    phone: Any, live_server: Any, member_of: Any, demo: Any
) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    base = live_server.url
    hr = member_of(Role.HR_ANALYST)
    TOTPDevice.objects.create(user=hr, name="e2e", confirmed=True)
    numbers = sorted(snapshot_numbers(demo))[:4]
    login(phone, base, hr.username, PASSWORD)

    # Informatieverzoeken → Persoonlijke links, by keyboard.
    phone.goto(f"{base}/o/alpha/loontransparantie/verzoeken/")
    assert phone.get_by_role("heading", name="Informatieverzoeken (art. 7)", level=1).is_visible()
    assert fits_phone(phone)  # the table of requests scrolls in its own box
    phone.get_by_role("link", name="Persoonlijke links maken").focus()
    with phone.expect_navigation():
        phone.keyboard.press("Enter")
    assert phone.get_by_role(
        "heading", name="Persoonlijke links voor informatieverzoeken", level=1
    ).is_visible()
    assert phone.get_by_role("status").get_by_text("Er zijn 5 persoonlijke links").is_visible()
    assert fits_phone(phone)
    screenshot(phone, "personal-links-phone")

    # A number that is not in the snapshot among good ones: refused, with the number named.
    field = phone.get_by_label("Personeelsnummers")
    field.focus()
    phone.keyboard.insert_text("\n".join([numbers[0], "X-999", numbers[1]]))  # as pasted
    phone.keyboard.press("Tab")
    assert phone.evaluate("document.activeElement.textContent") == "Links maken en downloaden"
    with phone.expect_navigation():
        phone.keyboard.press("Enter")
    summary = phone.locator("#error-summary")
    assert summary.is_visible()
    assert focused_id(phone) == "error-summary"
    message = "1 personeelsnummer staat niet in de huidige nulmeting: X-999."
    link = summary.get_by_role("link", name=f"Personeelsnummers: {message}")
    assert link.get_attribute("href") == "#id_numbers"
    assert field.get_attribute("aria-invalid") == "true"
    assert "id_numbers-error" in (field.get_attribute("aria-describedby") or "")
    assert phone.locator("#id_numbers-error").inner_text().startswith(message)
    assert field.input_value().split("\n") == [numbers[0], "X-999", numbers[1]]  # kept
    assert PersonalLink.objects.for_org(demo).count() == 5  # nothing replaced
    assert fits_phone(phone)
    screenshot(phone, "personal-links-phone-refused")

    # From the summary to the field; the good numbers pasted over it; the CSV arrives.
    link.focus()
    phone.keyboard.press("Enter")
    assert focused_id(phone) == "id_numbers"
    phone.keyboard.press("Control+A")
    phone.keyboard.insert_text("\n".join(numbers))
    phone.keyboard.press("Tab")
    with phone.expect_download() as arrived:
        phone.keyboard.press("Enter")
    download = arrived.value
    assert download.suggested_filename == "persoonlijke-links-alpha.csv"
    rows = list(csv.reader(io.StringIO(Path(download.path()).read_text("utf-8")), delimiter=";"))
    assert rows[0] == ["employee_number", "personal_link"]
    assert sorted(r[0] for r in rows[1:]) == numbers
    for _number, url in rows[1:]:
        parsed = urlparse(url)
        assert f"{parsed.scheme}://{parsed.netloc}" == base
        assert parsed.path.startswith("/loonvraag/persoonlijk/")
    assert PersonalLink.objects.for_org(demo).count() == 4  # the old five are replaced
    # The download leaves the page, but its status says the old links are replaced.
    status = phone.get_by_role("status")
    assert status.get_by_text("ze vervangen alle eerdere links").is_visible()
    assert status.get_by_text("Er zijn 5 persoonlijke links").count() == 0
    # ... and the error of the try before is gone.
    assert phone.locator("#error-summary").count() == 0
    assert phone.locator(".field-error").count() == 0
    assert field.get_attribute("aria-invalid") is None
    assert field.get_attribute("aria-describedby") == "id_numbers-help"

    # A link works: it opens the request form without an employee-number field.
    worker = phone.context.new_page()
    worker.goto(rows[1][1])
    assert worker.locator("[name=employee_number]").count() == 0
    assert worker.locator("[name=language]").count() > 0  # the language of the answer
    worker.close()

    # Opened again, the page counts four links.
    phone.goto(f"{base}/o/alpha/loontransparantie/verzoeken/persoonlijke-links/")
    assert phone.get_by_role("status").get_by_text("Er zijn 4 persoonlijke links").is_visible()
    assert phone.locator("#error-summary").count() == 0
    assert fits_phone(phone)
