"""Every PDF of Koers: one renderer, one URL fetcher, one response (issue 12).

``render_pdf(template, context, stylesheets=[...])`` renders a Django template
with WeasyPrint and returns tagged PDF bytes (PDF/UA-1: a structure tree and
``MarkInfo``, so screen readers read headings, lists and tables in order).
``pdf_response(pdf, filename)`` wraps them as an attachment with
``Cache-Control: no-store``: a report holds an organisation's figures and must
not stay in a shared or browser cache.

WeasyPrint may load nothing from the network. :func:`url_fetcher` serves only
``file:`` URLs of files inside the static directories Django knows (the
print stylesheets) and inline ``data:`` URLs; everything else (http, https,
ftp, a file outside the static roots, ``..`` tricks) raises
:class:`PdfFetchRefused`, which WeasyPrint logs and skips.

Where the time goes (demo Gender Scan report, internal variant, 11 pages;
``bench/pdf_bench.py`` prints it per run): about two thirds layout, one third
writing the PDF, of which most is subsetting the DejaVu font; parsing the
stylesheets is 1-2 %. Parsed stylesheets are cached per file and modification
time, and one :class:`FontConfiguration` is shared between renders. The pages
show the wait with a progress indicator (``koers.js``, ``data-pdf``).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

if TYPE_CHECKING:  # WeasyPrint is imported on first use: it is slow to import
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

# WeasyPrint logs every layout step at INFO; keep the server log for what matters.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

# The site-wide print styles (the Career Compass report and the team scan use them).
PRINT_STYLES = ("koers/print.css", "koers/widths.css")
PDF_VARIANT = "pdf/ua-1"  # tagged PDF for screen readers (WeasyPrint ≥ 63)


class PdfFetchRefused(ValueError):
    """WeasyPrint asked for a URL a PDF may not load."""


def static_roots() -> list[Path]:
    """The directories the static file finders serve from (apps' and the project's)."""
    roots: list[Path] = []
    for finder in finders.get_finders():
        storages = getattr(finder, "storages", {})
        for storage in storages.values():
            location = getattr(storage, "location", None)
            if location:
                roots.append(Path(location).resolve())
    return roots


def _allowed_file(path: Path) -> bool:
    real = path.resolve()
    return real.is_file() and any(real.is_relative_to(root) for root in static_roots())


def check_url(url: str) -> None:
    """Raise :class:`PdfFetchRefused` unless ``url`` is ``data:`` or one of our static files."""
    from urllib.parse import unquote, urlparse

    parsed = urlparse(url)
    if parsed.scheme == "data":
        return
    if parsed.scheme == "file" and parsed.netloc in ("", "localhost"):
        if _allowed_file(Path(unquote(parsed.path))):
            return
    raise PdfFetchRefused(f"the PDF may not load {url!r}: only Koers' own static files")


@lru_cache(maxsize=1)
def url_fetcher() -> Any:
    """WeasyPrint's fetcher for Koers: our static files and ``data:`` URLs, nothing else."""
    from weasyprint.urls import URLFetcher

    class StaticOnlyFetcher(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            check_url(url)
            return super().fetch(url, headers)

    return StaticOnlyFetcher(allowed_protocols={"file", "data"}, allow_redirects=False)


@lru_cache(maxsize=1)
def font_config() -> FontConfiguration:
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


@lru_cache(maxsize=16)
def _parsed(path: str, mtime: float) -> CSS:
    from weasyprint import CSS

    return CSS(filename=path, url_fetcher=url_fetcher(), font_config=font_config())


def stylesheet(name: str) -> CSS:
    """The static stylesheet ``name`` (``"scan/report-print.css"``), parsed once per version."""
    path = finders.find(name)
    if not path or isinstance(path, list):
        raise LookupError(f"no static stylesheet {name!r}")
    return _parsed(str(path), os.stat(path).st_mtime)


def render_html(template: str, context: dict[str, Any], request: HttpRequest | None = None) -> str:
    return render_to_string(template, context, request=request)


def render_pdf(
    template: str,
    context: dict[str, Any],
    *,
    stylesheets: Sequence[str],
    request: HttpRequest | None = None,
    progress: Callable[[int, str], None] | None = None,
) -> bytes:
    """``template`` with ``context`` as tagged PDF bytes, styled by the static ``stylesheets``.

    ``progress(percent, message)``, when given, hears of the two long steps (layout, about
    two thirds of the time, then writing): a background job (:mod:`koers.jobs.downloads`)
    shows them.
    """
    from django.utils.translation import gettext as _
    from weasyprint import HTML

    html = render_html(template, context, request)
    first = finders.find(stylesheets[0]) if stylesheets else None
    base = str(Path(str(first)).parent) if first and not isinstance(first, list) else None
    document = HTML(string=html, base_url=base, url_fetcher=url_fetcher())
    if progress:
        progress(20, _("Pagina's opmaken"))
    laid_out = document.render(
        stylesheets=[stylesheet(name) for name in stylesheets],
        font_config=font_config(),
        pdf_variant=PDF_VARIANT,
    )
    if progress:
        progress(70, _("PDF schrijven"))
    pdf: bytes = laid_out.write_pdf(pdf_variant=PDF_VARIANT)
    return pdf


def pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    """An attachment that no cache keeps (it holds an organisation's figures)."""
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    response["Content-Length"] = str(len(pdf))
    return response
