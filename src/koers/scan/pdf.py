"""The baseline report as PDF: the same context as the dashboard, a print template, WeasyPrint.

The charts are the same inline SVG as on the dashboard; the stylesheet is a
static file of this app. WeasyPrint may fetch nothing from the network: the
URL fetcher refuses every URL (the template references none).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string

# WeasyPrint logs every layout step at INFO; keep the server log for what matters.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
STYLESHEET = Path(__file__).resolve().parent / "static" / "scan" / "report-print.css"


def _no_fetch(url: str, *args: Any, **kwargs: Any) -> Any:
    raise ValueError(f"the PDF may not load {url!r}")


def render_html(request: HttpRequest | None, context: dict[str, Any]) -> str:
    return render_to_string("scan/report_pdf.html", {**context, "pdf": True}, request=request)


def render_pdf(request: HttpRequest | None, context: dict[str, Any]) -> bytes:
    """The report of ``context`` (see :func:`koers.scan.report.build_context`) as PDF bytes."""
    from weasyprint import CSS, HTML

    html = render_html(request, context)
    document = HTML(string=html, base_url=str(STYLESHEET.parent), url_fetcher=_no_fetch)
    pdf: bytes = document.write_pdf(stylesheets=[CSS(filename=str(STYLESHEET))])
    return pdf
