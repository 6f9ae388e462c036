"""HTML → PDF with WeasyPrint (runs in the worker for big reports; small ones inline)."""

from __future__ import annotations

from typing import Any

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    from weasyprint import CSS, HTML

    html = render_to_string(template, context)
    stylesheet = finders.find("koers/print.css")
    styles = [CSS(filename=stylesheet)] if stylesheet else []
    return bytes(HTML(string=html).write_pdf(stylesheets=styles))
