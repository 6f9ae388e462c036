"""Rounding and formatting figures for the scan dashboard and PDF (pure, no Django).

``spec/paygap.md``: the UI and PDF round to one decimal, half away from zero;
JSON keeps full precision. Rounding goes through the shortest decimal text of
the float (``repr``), so 0.15 rounds to 0.2 as a reader of "0.15" expects, not
to 0.1 as its binary value (0.1499…) would. Dutch uses a decimal comma and a
dot between thousands; English the reverse. The template filters in
:mod:`koers.scan.templatetags.scan_format` and the improvement-area texts use
these functions, so a figure reads the same everywhere.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

SEPARATORS = {"nl": (",", "."), "en": (".", ",")}


def round_half_away(value: float, places: int = 1) -> Decimal:
    """``value`` rounded to ``places`` decimals, half away from zero: 2.25 → 2.3, −2.25 → −2.3."""
    quantum = Decimal(1).scaleb(-places)
    return Decimal(repr(float(value))).quantize(quantum, rounding=ROUND_HALF_UP)


def _separators(lang: str | None) -> tuple[str, str]:
    return SEPARATORS.get((lang or "nl")[:2], SEPARATORS["nl"])


def format_decimal(value: float | None, lang: str | None = "nl", places: int = 1) -> str:
    """``12.345`` → ``"12,3"`` (nl) or ``"12.3"`` (en); thousands grouped; ``""`` for None."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return ""
    rounded = round_half_away(value, places)
    if rounded == 0:
        rounded = abs(rounded)  # never show "-0,0"
    decimal_sep, group_sep = _separators(lang)
    sign = "-" if rounded < 0 else ""
    text = f"{abs(rounded):.{places}f}"
    whole, _, fraction = text.partition(".")
    grouped = _group(whole, group_sep)
    return sign + grouped + (decimal_sep + fraction if places > 0 else "")


def format_count(value: int | float | None, lang: str | None = "nl") -> str:
    """Whole numbers with thousands grouped: ``1196`` → ``"1.196"`` (nl), ``"1,196"`` (en)."""
    if value is None:
        return ""
    number = int(value)
    sign = "-" if number < 0 else ""
    return sign + _group(str(abs(number)), _separators(lang)[1])


def format_percent(value: float | None, lang: str | None = "nl", places: int = 1) -> str:
    """A value already in percent: ``12.34`` → ``"12,3 %"`` (nl) or ``"12.3%"`` (en)."""
    if value is None:
        return ""
    number = format_decimal(value, lang, places)
    return f"{number} %" if (lang or "nl")[:2] == "nl" else f"{number}%"


def format_share(value: float | None, lang: str | None = "nl", places: int = 1) -> str:
    """A fraction 0..1 as a percentage: ``0.1234`` → ``"12,3 %"``."""
    if value is None:
        return ""
    return format_percent(float(value) * 100, lang, places)


def format_points(value: float | None, lang: str | None = "nl", places: int = 1) -> str:
    """A difference of two fractions in percentage points, the number only (``0.032`` → ``3,2``)."""
    if value is None:
        return ""
    return format_decimal(float(value) * 100, lang, places)


def format_euro(value: float | None, lang: str | None = "nl", places: int = 2) -> str:
    """``1234.5`` → ``"€ 1.234,50"`` (nl) or ``"€1,234.50"`` (en)."""
    if value is None:
        return ""
    number = format_decimal(value, lang, places)
    return f"€ {number}" if (lang or "nl")[:2] == "nl" else f"€{number}"


def _group(digits: str, separator: str) -> str:
    groups: list[str] = []
    while len(digits) > 3:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    groups.insert(0, digits)
    return separator.join(groups)
