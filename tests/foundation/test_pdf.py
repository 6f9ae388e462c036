"""One PDF path (koers.lib.pdf): tagged output, a fetcher that loads only our static files."""

from __future__ import annotations

import os
import re
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from django.contrib.staticfiles import finders
from tests.pdftext import is_tagged, pdf_objects

from koers.lib import pdf


def test_a_pdf_is_tagged_with_a_structure_tree_for_screen_readers() -> None:
    data = pdf.render_pdf("web/privacy.html", {}, stylesheets=pdf.PRINT_STYLES)
    text = pdf_objects(data)
    assert data.startswith(b"%PDF")
    assert is_tagged(data)
    assert b"/StructTreeRoot" in text
    assert re.search(rb"/MarkInfo\s*<<\s*/Marked\s+true", text)
    assert b"/Lang" in text  # the language a screen reader should speak


@pytest.mark.parametrize(
    "url",
    [
        "http://example.org/tracker.png",
        "https://fonts.example.com/font.woff2",
        "ftp://example.org/x.css",
        "file:///etc/passwd",
        "file://evil.example.org/share/x.css",
    ],
)
def test_the_fetcher_refuses_the_network_and_files_outside_static(url: str) -> None:
    with pytest.raises(pdf.PdfFetchRefused):
        pdf.url_fetcher()(url)


def test_the_fetcher_refuses_a_path_that_climbs_out_of_the_static_root() -> None:
    css = Path(str(finders.find("koers/print.css")))
    sneaky = css.parent.as_uri() + "/../../../../../../etc/passwd"
    with pytest.raises(pdf.PdfFetchRefused):
        pdf.url_fetcher()(sneaky)


def test_the_fetcher_serves_our_own_static_files() -> None:
    css = Path(str(finders.find("koers/print.css")))
    response = pdf.url_fetcher()(css.as_uri())
    assert b"@page" in response.read()


def test_a_page_that_links_an_external_image_renders_without_fetching_it(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    opened: list[str] = []
    fetcher = pdf.url_fetcher()
    monkeypatch.setattr(
        urllib.request.OpenerDirector, "open", lambda _s, url, *a, **k: opened.append(url)
    )
    html = (
        '<html lang="nl"><head><link rel="stylesheet" href="https://example.org/x.css"></head>'
        '<body><img src="https://example.org/x.png" alt="x"><p>Hoi</p></body></html>'
    )
    from weasyprint import HTML

    data = HTML(string=html, url_fetcher=fetcher).write_pdf()
    assert data.startswith(b"%PDF")
    assert opened == []  # nothing went to the network
    assert "may not load 'https://example.org/x.png'" in caplog.text


def test_parsed_stylesheets_are_reused_between_renders() -> None:
    assert pdf.stylesheet("koers/print.css") is pdf.stylesheet("koers/print.css")


def test_a_pdf_response_is_an_attachment_no_cache_keeps() -> None:
    response = pdf.pdf_response(b"%PDF-1.7 x", "rapport.pdf")
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Disposition"] == 'attachment; filename="rapport.pdf"'
    assert response["Content-Type"] == "application/pdf"


@pytest.mark.skipif(
    os.environ.get("CI") != "true",
    reason="the fast font subsetter is installed by make setup where apt-get can (CI)",
)
def test_under_ci_fonts_are_subset_by_harfbuzz_not_fonttools(caplog: Any) -> None:
    # scripts/ensure-pdf-libs installs libharfbuzz-subset0: WeasyPrint's fontTools fallback
    # made a report PDF 3-5 times as slow (docs/performance.md, "PDFs").
    from weasyprint.text.ffi import harfbuzz, harfbuzz_subset

    assert harfbuzz_subset is not None
    assert harfbuzz.hb_version_atleast(4, 1, 0)
    with caplog.at_level("WARNING"):
        pdf.render_pdf("web/privacy.html", {}, stylesheets=pdf.PRINT_STYLES)
    assert "fontTools instead of HarfBuzz-Subset" not in caplog.text
