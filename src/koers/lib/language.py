"""The interface language of the current request, as one of the instruments' languages."""

from __future__ import annotations

from django.utils import translation

LANGUAGES = ("nl", "en")


def current_language() -> str:
    """'nl' or 'en' (Dutch when the active language is anything else)."""
    lang = (translation.get_language() or "nl")[:2]
    return lang if lang in LANGUAGES else "nl"
