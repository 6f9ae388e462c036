"""The baseline report renders as PDF, for HR (everything) and to share (suppressed)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from koers.hrfile import check_for_import, parse_employees, read_table, suggest_mapping
from koers.scan.models import Snapshot
from koers.scan.pdf import render_html, render_pdf
from koers.scan.report import build_context
from koers.scan.services import store_snapshot
from tests.pdftext import fetch_pdf, is_tagged
from tests.scan.conftest import REF


@pytest.fixture
def snapshot(org_a: Any, good_file: bytes) -> Snapshot:
    raw = read_table(good_file, filename="x.csv")
    checked = check_for_import(parse_employees(raw, suggest_mapping(raw.headers)), REF)
    return store_snapshot(org_a, REF, checked.employees, filename="x.csv")


def _html(snapshot: Snapshot, *, hr: bool) -> tuple[str, dict[str, Any]]:
    report = build_context(snapshot.frame(), REF, hr=hr)
    with translation.override("nl"):
        html = render_html(
            None,
            {
                "snapshot": snapshot,
                "r": report,
                "organisation": snapshot.organisation,
                "variant_hr": hr,
            },
        )
    return " ".join(re.sub(r"<[^>]+>", " ", html).split()), report


def test_the_pdf_holds_the_key_numbers_with_their_n(snapshot: Snapshot) -> None:
    text, report = _html(snapshot, hr=True)
    mean = report["pay"]["indicators"][0]
    assert f"{mean['value']:.1f}".replace(".", ",") + " %" in text
    assert f"n = {mean['n_female']} vrouwen" in text
    assert "Verbeterpunten" in text
    assert report["findings"][0]["title"] in text
    assert "Loonkloof per categorie werknemers" in text
    assert "Wat betekent dit?" not in text  # explanations are printed in full
    assert "<svg" in render_html(
        None, {"snapshot": snapshot, "r": report, "organisation": snapshot.organisation}
    )


def test_the_shareable_pdf_leaves_out_small_groups_and_the_category_report(
    snapshot: Snapshot,
) -> None:
    text, report = _html(snapshot, hr=False)
    assert "Loonkloof per categorie werknemers" not in text
    assert "Bruto uurloon" not in text
    assert "Rapport om te delen" in text
    assert "niet getoond" in text  # the board has fewer than 5 people


def test_weasyprint_renders_both_variants(snapshot: Snapshot) -> None:
    for hr in (True, False):
        report = build_context(snapshot.frame(), REF, hr=hr)
        pdf = render_pdf(
            None,
            {
                "snapshot": snapshot,
                "r": report,
                "organisation": snapshot.organisation,
                "variant_hr": hr,
            },
        )
        assert pdf.startswith(b"%PDF")
        assert len(pdf) > 10_000


def test_hr_downloads_the_internal_pdf(
    client: Any, hr_user: Any, snapshot: Snapshot, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(hr_user)
    url = reverse("scan_snapshot_pdf", kwargs={"org": "alpha", "pk": snapshot.pk})
    response = fetch_pdf(client, url + "?variant=intern", django_capture_on_commit_callbacks)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "intern" in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF")
    assert response["Cache-Control"] == "no-store"
    assert is_tagged(response.content)
