"""The conversation-card deck: cards as data (``data/cards.yaml``, nl + en), read once.

Pure Python (no Django): a :class:`Card` has a key, a theme, a level (think, experience,
want, the three levels of the SamenSpraak dialogue project, shared/seeds/002) and, where
it fits, an answer form: ``scale`` (the five-point agree scale), ``choice`` (its own
options) or ``text`` (a short note). A card without an answer form is for talking only.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

CARDS_FILE = Path(__file__).parent / "data" / "cards.yaml"
LANGUAGES = ("nl", "en")
LEVELS = ("think", "experience", "want")
FORMS = ("scale", "choice", "text")


class DeckError(ValueError):
    """The deck file is incomplete; the message names the card and what is missing."""


@dataclass(frozen=True)
class Option:
    key: str
    label: dict[str, str]  # language -> text

    def in_language(self, lang: str) -> str:
        return self.label.get(lang) or self.label["nl"]


@dataclass(frozen=True)
class Card:
    key: str
    theme: str
    level: str
    text: dict[str, str]
    form: str  # "scale" | "choice" | "text" | "" (talk only)
    options: tuple[Option, ...]  # the scale's points or the choice's options

    def in_language(self, lang: str) -> str:
        return self.text.get(lang) or self.text["nl"]

    @property
    def counted(self) -> bool:
        """Answers are counted per option (scale, choice); text answers are not counted."""
        return self.form in ("scale", "choice")


@dataclass(frozen=True)
class Deck:
    levels: dict[str, dict[str, str]]
    themes: dict[str, dict[str, str]]
    cards: tuple[Card, ...]

    def card(self, key: str) -> Card:
        for card in self.cards:
            if card.key == key:
                return card
        raise KeyError(key)

    def keys(self) -> list[str]:
        return [card.key for card in self.cards]

    def theme_label(self, theme: str, lang: str) -> str:
        labels = self.themes[theme]
        return labels.get(lang) or labels["nl"]

    def level_label(self, level: str, lang: str) -> str:
        labels = self.levels[level]
        return labels.get(lang) or labels["nl"]


def _texts(raw: Any, where: str) -> dict[str, str]:
    if not isinstance(raw, dict):
        raise DeckError(f"{where}: expected a text per language ({', '.join(LANGUAGES)})")
    texts = {lang: str(raw.get(lang) or "").strip() for lang in LANGUAGES}
    missing = [lang for lang, text in texts.items() if not text]
    if missing:
        raise DeckError(f"{where}: no text in {', '.join(missing)}")
    return texts


def _options(raw: Any, where: str) -> tuple[Option, ...]:
    if not isinstance(raw, list) or len(raw) < 2:
        raise DeckError(f"{where}: a scale or choice needs at least two options")
    options = tuple(
        Option(str(item["key"]), _texts(item, f"{where} option {item.get('key')!r}"))
        for item in raw
    )
    if len({o.key for o in options}) != len(options):
        raise DeckError(f"{where}: two options share a key")
    return options


def parse_deck(data: dict[str, Any]) -> Deck:
    """The deck of a parsed YAML document; :class:`DeckError` when anything is missing."""
    levels = {key: _texts(value, f"level {key}") for key, value in data["levels"].items()}
    if tuple(levels) != LEVELS:
        raise DeckError(f"the levels are {', '.join(LEVELS)}, in that order")
    themes = {key: _texts(value, f"theme {key}") for key, value in data["themes"].items()}
    scale = _options(data["scale"], "scale")
    cards: list[Card] = []
    for raw in data["cards"]:
        key = str(raw.get("key") or "")
        where = f"card {key!r}"
        if not key:
            raise DeckError("a card has no key")
        if raw.get("theme") not in themes:
            raise DeckError(f"{where}: unknown theme {raw.get('theme')!r}")
        if raw.get("level") not in LEVELS:
            raise DeckError(f"{where}: level must be one of {', '.join(LEVELS)}")
        answer = raw.get("answer") or {}
        form = str(answer.get("form") or "")
        if form and form not in FORMS:
            raise DeckError(f"{where}: answer form must be one of {', '.join(FORMS)}")
        options: tuple[Option, ...] = ()
        if form == "scale":
            options = scale
        elif form == "choice":
            options = _options(answer.get("options"), where)
        cards.append(
            Card(key, raw["theme"], raw["level"], _texts(raw.get("text"), where), form, options)
        )
    if len({card.key for card in cards}) != len(cards):
        raise DeckError("two cards share a key")
    return Deck(levels, themes, tuple(cards))


@cache
def load_deck(path: Path = CARDS_FILE) -> Deck:
    with path.open(encoding="utf-8") as handle:
        return parse_deck(yaml.safe_load(handle))
