"""The card deck: complete in both languages, every card with a theme and a level."""

from __future__ import annotations

from collections import Counter

import pytest
import yaml

from koers.dialogue.deck import CARDS_FILE, LANGUAGES, DeckError, load_deck, parse_deck


def test_every_card_has_a_text_in_dutch_and_english_and_so_do_its_options() -> None:
    deck = load_deck()
    assert len(deck.cards) >= 18
    for card in deck.cards:
        for lang in LANGUAGES:
            assert card.text[lang].strip(), card.key
            for option in card.options:
                assert option.label[lang].strip(), (card.key, option.key)
        assert card.text["nl"] != card.text["en"], card.key


def test_every_theme_has_a_card_on_each_level() -> None:
    deck = load_deck()
    seen = {(card.theme, card.level) for card in deck.cards}
    for theme in deck.themes:
        for level in ("think", "experience", "want"):
            assert (theme, level) in seen, (theme, level)


def test_the_deck_uses_every_answer_form_and_keeps_keys_unique() -> None:
    deck = load_deck()
    forms = Counter(card.form for card in deck.cards)
    assert min(forms["scale"], forms["choice"], forms["text"]) > 0
    assert len(set(deck.keys())) == len(deck.cards)
    for card in deck.cards:
        if card.form == "scale":
            assert [o.key for o in card.options] == ["1", "2", "3", "4", "5"]
        if card.form == "choice":
            # YAML would read a bare yes/no as a boolean: option keys stay strings.
            assert all(
                isinstance(o.key, str) and o.key not in ("True", "False") for o in card.options
            )


def test_a_card_missing_its_english_text_is_refused_with_its_key() -> None:
    data = yaml.safe_load(CARDS_FILE.read_text(encoding="utf-8"))
    data["cards"][0]["text"]["en"] = ""
    with pytest.raises(DeckError, match=data["cards"][0]["key"]):
        parse_deck(data)


def test_a_card_with_an_unknown_level_is_refused() -> None:
    data = yaml.safe_load(CARDS_FILE.read_text(encoding="utf-8"))
    data["cards"][1]["level"] = "feel"
    with pytest.raises(DeckError, match="level"):
        parse_deck(data)
