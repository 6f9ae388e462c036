"""What an appraisal text is made of: length, personality and achievement words, sentences
tied to a result, and doubt-raising phrases (Dutch and English). Pure: no Django.

The measures follow the research the whitepaper (shared/seeds/000, "Inclusieve functionerings-
en beoordelingsgesprekken") builds on:

- Correll & Simard (2016), "Research: Vague Feedback Is Holding Women Back", Harvard
  Business Review: women's reviews were less often tied to business outcomes and more
  often about personality; the whitepaper's advice is to tie every piece of feedback to
  one of three business results and to write texts of equal length.
- Madera, Hebl & Martin (2009), Journal of Applied Psychology 94(6), 1591-1599: letters
  for women used more communal (personality) words and fewer agentic ones.
- Trix & Psenka (2003), Discourse & Society 14(2), 191-220: letters for women were shorter
  and had more "doubt raisers" (hedges, faint praise, "although").

The word lists are Koers's own, short on purpose, and matched as word starts (stems) or
whole phrases; a word list can only count words, so the page compares groups of texts by
the same reviewer and never labels one text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_WORD = re.compile(r"[^\W_]+(?:[-'][^\W_]+)*", re.UNICODE)
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]?")
_NUMBER = re.compile(r"\d")

# Personality and communal words: about who someone is, not what they achieved.
PERSONALITY = {
    "nl": (
        "aardig",
        "behulpzaa",
        "bescheiden",
        "betrokken",
        "enthousias",
        "gezellig",
        "hartelijk",
        "hardwerkend",
        "loyaa",
        "prettig",
        "rustig",
        "sociaa",
        "sympathie",
        "vriendelijk",
        "zorgza",
    ),
    "en": (
        "agreeable",
        "caring",
        "cheerful",
        "enthusias",
        "friendly",
        "hardworking",
        "helpful",
        "likeable",
        "loyal",
        "modest",
        "nice",
        "pleasant",
        "sociable",
    ),
}
# Achievement words: outcomes and what was delivered.
ACHIEVEMENT = {
    "nl": (
        "afgerond",
        "behaald",
        "bespaard",
        "bespaart",
        "doelstelling",
        "gehaald",
        "geïmplementeerd",
        "gelanceerd",
        "geleverd",
        "gerealiseerd",
        "ontworpen",
        "opgeleverd",
        "opgelost",
        "omzet",
        "resulta",
        "verbeterd",
        "verhoogd",
        "verkort",
        "verlaagd",
        "verminderd",
    ),
    "en": (
        "achiev",
        "completed",
        "delivered",
        "designed",
        "implemented",
        "improved",
        "increased",
        "launched",
        "reduced",
        "resolved",
        "result",
        "revenue",
        "saved",
        "shipped",
        "target",
    ),
}
# Doubt raisers: hedges and faint praise, as phrases (matched whole, in order).
DOUBT = {
    "nl": (
        "lijkt",
        "misschien",
        "wellicht",
        "hoewel",
        "ondanks",
        "enigszins",
        "redelijk",
        "soms",
        "nog niet",
        "niet altijd",
        "zou kunnen",
        "kan beter",
    ),
    "en": (
        "seems",
        "might",
        "perhaps",
        "although",
        "however",
        "somewhat",
        "fairly",
        "at times",
        "not yet",
        "not always",
        "could improve",
    ),
}


@dataclass(frozen=True)
class TextMeasures:
    words: int
    personality: float  # per 100 words
    achievement: float  # per 100 words
    result_share: float  # share of sentences tied to a result (a number or an outcome word)
    doubt: float  # per 100 words

    def as_dict(self) -> dict[str, float]:
        return {
            "words": float(self.words),
            "personality": self.personality,
            "achievement": self.achievement,
            "result_share": self.result_share,
            "doubt": self.doubt,
        }


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text).lower()


def _starts(words: list[str], stems: tuple[str, ...]) -> int:
    return sum(any(w.startswith(s) for s in stems) for w in words)


def _phrases(words: list[str], phrases: tuple[str, ...]) -> int:
    joined = " " + " ".join(words) + " "
    return sum(joined.count(f" {p} ") for p in phrases)


def measure(text: str, lang: str = "nl") -> TextMeasures:
    """The measures of one text; an empty text has zero words and zeros elsewhere."""
    lang = lang if lang in PERSONALITY else "nl"
    words = [_fold(w) for w in _WORD.findall(text)]
    if not words:
        return TextMeasures(0, 0.0, 0.0, 0.0, 0.0)
    per_100 = 100 / len(words)
    sentences = [s for s in _SENTENCE.findall(text) if _WORD.search(s)]
    tied = sum(
        bool(_NUMBER.search(s))
        or _starts([_fold(w) for w in _WORD.findall(s)], ACHIEVEMENT[lang]) > 0
        for s in sentences
    )
    return TextMeasures(
        words=len(words),
        personality=_starts(words, PERSONALITY[lang]) * per_100,
        achievement=_starts(words, ACHIEVEMENT[lang]) * per_100,
        result_share=tied / len(sentences) if sentences else 0.0,
        doubt=_phrases(words, DOUBT[lang]) * per_100,
    )
