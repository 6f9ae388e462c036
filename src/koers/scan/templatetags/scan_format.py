"""Template filters that format scan figures: one decimal, half away from zero, in the
active language (``12,3 %`` in Dutch), and a marker for figures that are not shown."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from koers.scan import numbers
from koers.scan.labels import COLUMN_LABELS, GENDER_LABELS, LAYER_LABELS, TECHNICAL_LABELS

register = template.Library()


def _lang() -> str:
    return (get_language() or "nl")[:2]


def _missing() -> SafeString:
    return format_html(
        '<span class="scan-missing" title="{}">–<span class="visually-hidden"> {}</span></span>',
        _("niet getoond: minder dan het minimum aantal personen, of niet te berekenen"),
        _("niet getoond"),
    )


@register.filter
def fig(value: Any, kind: str = "count") -> Any:
    """``{{ value|fig:"share" }}``: count, share (0..1), pct, points, dec1 or euro; – for None."""
    if value is None:
        return _missing()
    lang = _lang()
    if kind == "share":
        return numbers.format_share(float(value), lang)
    if kind == "pct":
        return numbers.format_percent(float(value), lang)
    if kind == "points":
        return numbers.format_points(float(value), lang)
    if kind == "dec1":
        return numbers.format_decimal(float(value), lang)
    if kind == "euro":
        return numbers.format_euro(float(value), lang)
    if kind == "euro0":
        return numbers.format_euro(float(value), lang, places=0)
    return numbers.format_count(value, lang)


@register.filter
def axis_share(value: Any) -> str:
    """Axis labels of share charts: ``0 %``, ``25 %`` (no decimals)."""
    return numbers.format_share(float(value), _lang(), places=0)


_LABELS = {
    "gender": GENDER_LABELS,
    "layer": LAYER_LABELS,
    "technical": TECHNICAL_LABELS,
    "column": COLUMN_LABELS,
}


@register.filter
def scan_label(key: Any, family: str) -> str:
    """The label of a code: ``{{ "subtop"|scan_label:"layer" }}``."""
    labels = _LABELS.get(family, {})
    return str(labels.get(str(key), key))


@register.filter
def get(mapping: Any, key: Any) -> Any:
    """``{{ dict|get:key }}`` for dicts keyed by variables."""
    try:
        return mapping[key]
    except (KeyError, TypeError, IndexError):
        return None


@register.filter
def delta(value: Any, kind: str = "count") -> Any:
    """A change between snapshots with its sign: ``+3,2 pp`` (shares, percentages) or ``+12``.

    ``koers.scan.trend.change`` gives shares and percentages already in points; – for None.
    """
    if value is None:
        return _missing()
    lang = _lang()
    sign = "+" if value > 0 else ("−" if value < 0 else "±")
    if kind in ("share", "pct"):
        return f"{sign}{numbers.format_decimal(abs(float(value)), lang)} pp"
    return f"{sign}{numbers.format_count(abs(value), lang)}"
