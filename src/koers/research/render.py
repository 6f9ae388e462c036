"""A research Result (koers.stats.research's contract) as plain values for a template.

Pure: no Django. Tables keep their rows with a suppressed cell (None) shown as "<k", a
cell that has no value by its nature ("", NOT_APPLICABLE) empty, and a cell or header given
in both languages ({"nl": ..., "en": ...}) in the page's language;
statistics get their interval in one string; a chart becomes bars with a width in
per cent of the largest value, and the same figures as a table (screen readers and
anyone who wants the numbers read the table; the bars are hidden from them).
"""

from __future__ import annotations

import math
from typing import Any


def text(value: Any, language: str) -> str:
    """A {"nl": ..., "en": ...} text in the page's language (the other one if missing)."""
    if isinstance(value, dict):
        return str(value.get(language) or value.get("nl") or value.get("en") or "")
    return "" if value is None else str(value)


# A cell that has no value by its nature (koers.stats.research.core.NOT_APPLICABLE): empty,
# unlike None, a suppressed cell ("<k").
NOT_APPLICABLE = ""


def cell(value: Any, k: int, language: str = "nl") -> str:
    if value is None:
        return f"<{k}"
    if isinstance(value, dict):
        return text(value, language)
    if isinstance(value, str) and value == NOT_APPLICABLE:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "–"
        return f"{value:.3f}".rstrip("0").rstrip(".") if abs(value) < 1000 else f"{value:,.0f}"
    return str(value)


def number(value: Any, digits: int = 2) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if isinstance(value, int | float):
        return f"{value:.{digits}f}"
    return str(value)


def p_value(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return "< .001" if float(value) < 0.001 else f"{float(value):.3f}"


def result_context(result: Any, language: str, k: int) -> dict[str, Any]:
    tables = [
        {
            "title": text(t.title, language),
            "columns": [text(c, language) for c in t.columns],
            "rows": [[cell(v, k, language) for v in row] for row in t.rows],
            "note": text(t.note, language) if t.note else "",
        }
        for t in result.tables
    ]
    statistics = [
        {
            "name": text(s.get("name"), language),
            "estimate": number(s.get("estimate")),
            "ci": (
                f"[{number(s.get('ci_low'))}; {number(s.get('ci_high'))}]"
                if s.get("ci_low") is not None
                else "–"
            ),
            "p": p_value(s.get("p")),
            "effect_size_name": text(s.get("effect_size_name"), language),
            "effect_size": number(s.get("effect_size")),
        }
        for s in result.statistics
    ]
    return {
        "n": result.n,
        "tables": tables,
        "statistics": statistics,
        "methods": text(result.methods, language),
        "chart": chart_context(result.chart, language, k),
        "refused": text(result.refused, language) if result.refused else "",
    }


def chart_context(chart: Any, language: str, k: int) -> dict[str, Any] | None:
    """Horizontal bars per category (one bar per series), widths relative to the largest."""
    if not chart:
        return None
    # an analysis may give the Dutch categories apart ("categories_nl")
    raw_categories = chart.get(f"categories_{language}") or chart.get("categories", [])
    categories = [text(c, language) for c in raw_categories]
    series = chart.get("series", [])
    unit = text(chart.get("unit", ""), language)
    suffix = unit if unit in ("", "%") else f" {unit}"  # "38%", "38.5 hours"
    values = [
        v
        for s in series
        for v in s.get("values", [])
        if isinstance(v, int | float) and not (isinstance(v, float) and math.isnan(v))
    ]
    top = max((abs(v) for v in values), default=0) or 1
    groups = []
    for i, category in enumerate(categories):
        bars = []
        for j, s in enumerate(series):
            raw = s.get("values", [])
            value = raw[i] if i < len(raw) else None
            known = isinstance(value, int | float) and not (
                isinstance(value, float) and math.isnan(value)
            )
            size = abs(float(value)) if known and value is not None else 0.0
            bars.append(
                {
                    "series": text(s.get("name"), language),
                    "index": j,
                    "label": f"{cell(value, k, language)}{suffix if known else ''}",
                    "width": round(100 * size / top),  # a w-<n> class (the CSP: no inline style)
                }
            )
        groups.append({"category": category, "bars": bars})
    return {
        "kind": chart.get("kind", "bar"),
        "unit": unit,
        "series": [text(s.get("name"), language) for s in series],
        "groups": groups,
    }
