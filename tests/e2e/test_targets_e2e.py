"""Issue 16 in a real browser on a phone-sized screen: HR sets a target, adds a measure to
the action plan, and downloads the annual diversity report (SER) as PDF and CSV."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from koers.plan.models import Action
from koers.targets.models import Target
from tests.e2e.conftest import login, screenshot
from tests.pdftext import is_tagged

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

ORG = "voorbeeld-techniek"


@pytest.fixture
def demo(db: Any) -> None:
    call_command("load_demo")


def test_hr_sets_a_target_adds_a_measure_and_downloads_the_ser_report_on_a_phone(
    phone: Any, live_server: Any, demo: Any
) -> None:
    page, base = phone, live_server.url
    login(page, base, "hr@voorbeeld.nl")
    page.goto(f"{base}/o/{ORG}/doelen/")

    # A target: women's share of the hires into core functions, 45 % in 2029.
    page.get_by_role("link", name="Streefcijfer toevoegen").click()
    page.get_by_label("Groep").select_option("inflow")
    page.get_by_label("Functies").select_option("core")
    page.get_by_label("Streefcijfer (% vrouwen)").fill("45")
    page.get_by_label("Streefjaar").fill("2029")
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_url(f"**/o/{ORG}/doelen/")
    assert page.get_by_text("Streefcijfer opgeslagen.").is_visible()
    assert Target.objects.filter(target_year=2029, target_share=45).exists()

    # A measure for the plan.
    page.goto(f"{base}/o/{ORG}/plan/")
    page.get_by_role("link", name="Actie toevoegen").click()
    page.get_by_label("Maatregel uit de catalogus").select_option("mentoring")
    page.get_by_label("Eigenaar").fill("Hoofd HR")
    page.get_by_label("Klaar op").fill("2027-06-30")
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_load_state()
    assert Action.objects.filter(measure="mentoring", owner="Hoofd HR").exists()

    # The monitor leads to the annual report, which lists the new measure.
    page.goto(f"{base}/o/{ORG}/doelen/monitor/")
    assert page.get_by_role("heading", name="Jaarlijkse monitor").is_visible()
    page.get_by_role("link", name="Jaarrapportage diversiteit (SER)").click()
    page.wait_for_url("**/doelen/jaarrapportage/")
    assert page.get_by_text("Mentoringprogramma", exact=False).first.is_visible()
    assert page.get_by_text("Uiterlijk rapporteren aan de SER", exact=False).is_visible()
    # Nothing wider than the phone's screen but the scrollable tables.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360 + 1, width
    screenshot(page, "targets-ser-phone")

    with page.expect_download() as download:
        page.get_by_role("link", name="Download als PDF").click()
    pdf = Path(download.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF")
    assert is_tagged(pdf)
    assert download.value.suggested_filename.startswith("diversiteitsrapportage-")

    with page.expect_download() as download:
        page.get_by_role("link", name="Download als CSV").click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].startswith("volgorde;onderdeel;omschrijving")
    assert "Mentoringprogramma" in text
