"""Issue 14's done-when journey in a real browser, without /admin/: the admin invites a
member, the member sets a password and an authenticator app, logs in again with the second
factor, runs a Gender Scan on the demo HR file and downloads its PDF with visible progress."""

from __future__ import annotations

import base64
import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command

from koers.scan.demo import dutch_export, generate_rows
from koers.scan.models import Snapshot
from tests.e2e.conftest import login, pdf_via_job, screenshot
from tests.pdftext import is_tagged

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

NEW = "analist@voorbeeld.nl"
PASSWORD = "Eerste-week-wachtzin-14"
REF = dt.date(2026, 9, 30)


@pytest.fixture
def demo(db: Any) -> None:
    call_command("load_demo")


def _code(secret: str, drift: int = 0) -> str:
    from django_otp.oath import totp

    padded = secret + "=" * (-len(secret) % 8)
    return f"{totp(base64.b32decode(padded), drift=drift):06d}"


def test_an_invited_member_logs_in_with_two_factors_runs_a_scan_and_gets_its_pdf(
    page: Any, live_server: Any, demo: Any, tmp_path: Path
) -> None:
    base = live_server.url
    # The admin invites an HR analyst.
    login(page, base, "admin@voorbeeld.nl")
    page.goto(f"{base}/o/voorbeeld-techniek/members/")
    page.get_by_label("E-mailadres").fill(NEW)
    page.get_by_label("Rol", exact=True).select_option("hr_analyst")
    page.get_by_role("button", name="Uitnodiging versturen").click()
    page.wait_for_load_state()
    link = re.search(r"/uitnodiging/[^\s/]+/", next(m for m in mail.outbox if m.to == [NEW]).body)
    assert link is not None
    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_load_state()

    # The member sets a password and links an authenticator app.
    page.goto(base + link.group(0))
    page.get_by_label("Voornaam").fill("Fatima")
    page.get_by_label("Nieuw wachtwoord", exact=True).fill(PASSWORD)
    page.get_by_label("Nieuw wachtwoord bevestigen").fill(PASSWORD)
    page.get_by_role("button", name="Account maken").click()
    page.wait_for_url("**/accounts/2fa/setup/**")
    secret = page.locator("code.copy-link").inner_text().strip()
    page.get_by_label("Code uit je authenticator-app").fill(_code(secret))
    page.get_by_role("button", name="Koppelen").click()
    page.wait_for_url("**/o/voorbeeld-techniek/")
    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_load_state()

    # A later day: password, then the code from the app (the next one: a code is used once).
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("E-mailadres").fill(NEW)
    page.get_by_label("Wachtwoord", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url("**/accounts/2fa/**")
    page.get_by_label("Code uit je authenticator-app").fill(_code(secret, drift=1))
    page.get_by_role("button", name="Controleren").click()
    page.wait_for_url("**/o/voorbeeld-techniek/")
    screenshot(page, "first-week-home")

    # The scan: upload the demo HR export, confirm the columns, read the dashboard.
    export = tmp_path / "hr_export_september.csv"
    export.write_bytes(dutch_export(generate_rows(240, seed=14, reference_date=REF)))
    page.goto(f"{base}/o/voorbeeld-techniek/scan/upload/")
    page.get_by_label("HR-bestand (CSV of Excel .xlsx)").set_input_files(str(export))
    page.get_by_label("Peildatum").fill(REF.isoformat())
    page.get_by_role("button", name="Uploaden en lezen").click()
    page.wait_for_url("**/kolommen/")
    page.get_by_role("button", name="Koppeling opslaan en rijen controleren").click()
    page.wait_for_url("**/scan/*/")
    assert "30 september 2026" in page.locator(".lead").inner_text()
    assert Snapshot.objects.filter(reference_date=REF).exists()

    # Its PDF for HR: progress while it is made, then the download.
    download = pdf_via_job(page, "PDF voor HR (alle aantallen)", shot="first-week-pdf")
    pdf = Path(download.path()).read_bytes()
    assert pdf.startswith(b"%PDF")
    assert is_tagged(pdf)
    assert download.suggested_filename.endswith("-2026-09-30-intern.pdf")
