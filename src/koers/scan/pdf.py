"""The baseline report as PDF: the same context as the dashboard, a print template.

The charts are the same inline SVG as on the dashboard; the stylesheet is a
static file of this app. Rendering, the URL fetcher (nothing from the network)
and the response (``no-store``) are :mod:`koers.lib.pdf`'s.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest

from koers.lib import pdf

TEMPLATE = "scan/report_pdf.html"
STYLESHEETS = ("scan/report-print.css",)


def render_html(request: HttpRequest | None, context: dict[str, Any]) -> str:
    return pdf.render_html(TEMPLATE, {**context, "pdf": True}, request)


def render_pdf(
    request: HttpRequest | None,
    context: dict[str, Any],
    progress: Callable[[int, str], None] | None = None,
) -> bytes:
    """The report of ``context`` (see :func:`koers.scan.report.build_context`) as PDF bytes."""
    return pdf.render_pdf(
        TEMPLATE,
        {**context, "pdf": True},
        stylesheets=STYLESHEETS,
        request=request,
        progress=progress,
    )
