"""HTML → PDF with WeasyPrint (runs in the worker for big reports; small ones inline)."""

from __future__ import annotations

from typing import Any

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    from weasyprint import CSS, HTML

    html = render_to_string(template, context)
    found = [finders.find(name) for name in ("koers/print.css", "koers/widths.css")]
    styles = [CSS(filename=str(path)) for path in found if path]
    return bytes(HTML(string=html).write_pdf(stylesheets=styles))
