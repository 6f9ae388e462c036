"""Journey 2 in a real browser: Mark uploads the HR export with mistakes, reads the error
list, uploads the fixed file, looks at the scan and downloads the PDF; and on a phone."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from koers.scan.demo import dutch_export, generate_rows
from koers.scan.models import Snapshot
from tests.e2e.conftest import login, pdf_via_job, screenshot
from tests.pdftext import is_tagged

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

REF = dt.date(2025, 12, 31)
MISTAKES = {
    (2, "gender"): "Q",
    (5, "hire_date"): "31-02-2020",
    (7, "hours_per_week"): "70",
    (11, "birth_year"): "19x5",
}


@pytest.fixture
def demo(db: Any) -> None:
    call_command("load_demo")


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    rows = generate_rows(200, seed=21, reference_date=REF)
    bad = tmp_path / "afas_export.csv"
    bad.write_bytes(dutch_export(rows, overrides=MISTAKES))
    good = tmp_path / "afas_export_verbeterd.csv"
    good.write_bytes(dutch_export(rows))
    return bad, good


def _upload(page: Any, path: Path, reference_date: str | None) -> None:
    page.get_by_label("HR-bestand (CSV of Excel .xlsx)").set_input_files(str(path))
    if reference_date:
        page.get_by_label("Peildatum").fill(reference_date)
    page.get_by_role("button", name="Uploaden en lezen").click()
    page.wait_for_url("**/kolommen/")


def test_hr_fixes_the_file_imports_it_and_downloads_the_pdf(
    page: Any, live_server: Any, demo: Any, files: tuple[Path, Path]
) -> None:
    bad, good = files
    base = live_server.url
    login(page, base, "hr@voorbeeld.nl")
    page.wait_for_url("**/o/voorbeeld-techniek/")
    # The home page shows the demo's baseline and leads to it.
    page.get_by_role("link", name="Naar de nulmeting").click()
    page.wait_for_url("**/scan/*/")
    assert page.get_by_role("heading", name="Verbeterpunten").is_visible()
    page.get_by_role("link", name="Nieuw HR-bestand uploaden").click()

    _upload(page, bad, REF.isoformat())
    assert page.get_by_role("heading", name="Kolommen koppelen").is_visible()
    assert page.get_by_label("Geslacht").input_value() == "gender"
    screenshot(page, "scan-mapping")
    page.get_by_role("button", name="Koppeling opslaan en rijen controleren").click()
    page.wait_for_url("**/fouten/")
    assert page.get_by_role("heading", level=1).inner_text() == "4 rijen met fouten"
    table = page.get_by_role("table", name="Problemen per rij en kolom")
    rows = table.locator("tbody tr")
    assert rows.count() == 4
    assert "Geslacht" in rows.nth(0).inner_text()
    assert "5" in rows.nth(0).inner_text()
    assert "geen bekend geslacht" in table.inner_text()
    screenshot(page, "scan-problems")
    with page.expect_download() as download:
        page.get_by_role("link", name="Foutenlijst downloaden (CSV)").click()
    assert download.value.suggested_filename.startswith("fouten-")
    assert not Snapshot.objects.filter(reference_date=REF).exists()

    page.get_by_role("link", name="Verbeterd bestand uploaden").click()
    assert page.get_by_label("Peildatum").input_value() == REF.isoformat()
    _upload(page, good, None)
    assert page.get_by_text("De koppeling die je de vorige keer hebt bevestigd").is_visible()
    page.get_by_role("button", name="Koppeling opslaan en rijen controleren").click()
    page.wait_for_url("**/scan/*/")
    assert page.get_by_role("heading", level=1).inner_text() == "Gender Scan"
    assert "31 december 2025" in page.locator(".lead").inner_text()
    assert page.get_by_role("img", name="Aandeel vrouwen per functieniveau").is_visible()
    assert page.get_by_role("table", name="Loonkloof volgens artikel 9").is_visible()
    screenshot(page, "scan-dashboard")
    assert Snapshot.objects.get(reference_date=REF).n_skipped == 0

    # The PDF is made in the background: progress while it is made, then a download.
    download = pdf_via_job(page, "PDF om te delen", shot="scan-pdf")
    pdf = Path(download.path()).read_bytes()
    assert is_tagged(pdf)
    assert pdf.startswith(b"%PDF")
    assert len(pdf) > 10_000
    assert download.suggested_filename.endswith("-deelbaar.pdf")


def test_the_scan_reads_on_a_phone_without_sideways_scrolling(
    phone: Any, live_server: Any, demo: Any
) -> None:
    login(phone, live_server.url, "hr@voorbeeld.nl")
    phone.goto(f"{live_server.url}/o/voorbeeld-techniek/scan/")
    assert phone.get_by_role("heading", name="Verbeterpunten").is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    # Wide tables scroll inside their own region, reachable with the keyboard.
    region = phone.get_by_role("region", name="Medewerkers per functieniveau en geslacht")
    assert region.get_attribute("tabindex") == "0"
    screenshot(phone, "scan-dashboard-phone")


def test_the_works_council_sees_the_shareable_scan_only(
    page: Any, live_server: Any, demo: Any
) -> None:
    login(page, live_server.url, "or@voorbeeld.nl")
    page.goto(f"{live_server.url}/o/voorbeeld-techniek/scan/")
    assert page.get_by_text("Groepscijfers: aantallen van minder dan 5").is_visible()
    assert page.get_by_role("link", name="PDF voor HR (alle aantallen)").count() == 0
    assert page.get_by_role("table", name="Loonkloof per categorie werknemers").count() == 0
