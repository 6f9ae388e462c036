"""Texts an organisation writes for its people, in Dutch and English.

Each such text has a Dutch field and an English one (``intro`` / ``intro_en``). A page
shows the text in its own language and falls back to the other one when that is empty,
so a text written in one language only is still shown.
"""

from __future__ import annotations

from django.utils.translation import get_language


def localised(dutch: str, english: str, language: str | None = None) -> str:
    language = (language or get_language() or "nl")[:2]
    first, second = (english, dutch) if language == "en" else (dutch, english)
    return (first or "").strip() or (second or "").strip()


def shown_language(dutch: str, english: str, language: str | None = None) -> str:
    """The language code of the text :func:`localised` picks (for a ``lang`` attribute)."""
    language = (language or get_language() or "nl")[:2]
    if language == "en":
        return "en" if (english or "").strip() else "nl"
    return "nl" if (dutch or "").strip() else "en"
