"""Template filter that picks the improvement areas of one level ("finding" or "signal")."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template

register = template.Library()


@register.filter
def with_level(findings: Iterable[dict[str, Any]] | None, level: str) -> list[dict[str, Any]]:
    """``r.findings|with_level:"signal"``: the items of ``improvement.evaluate`` of that level."""
    return [f for f in findings or () if f.get("level") == level]
