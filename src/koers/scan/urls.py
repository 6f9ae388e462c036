from __future__ import annotations

from django.urls import URLPattern

# Pages under /o/<slug:org>/ (included by koers.urls).
org_patterns: list[URLPattern] = []
