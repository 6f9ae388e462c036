"""The vacancy-text check: gender-coded words in place, and what else a vacancy should say.

Pure Python (no Django): the page, the API and the tests call :func:`check_vacancy`.

Words: the lists in ``data/coded_words.yaml`` (Dutch and English, a source per entry). A
word is coded when it starts with an entry's stem and is not one of its exceptions; words
are matched whole, so "lead" in a list can never hit "leadership" unless the list says so.

The lean of a text (masculine / feminine / balanced) is given only from
:data:`MIN_CODED_WORDS` coded words on: with fewer, one word more or less would flip it, so
Koers says there are too few to judge. The thresholds are Koers's own convention (two thirds
of the coded words on one side), not a research finding; the research finding
(Gaucher, Friesen & Kay 2011) is that masculine wording lowers women's sense of belonging.

Checks beyond words, each with a suggestion:

* ``masculine_title``: a Dutch job title only in a masculine form that has a feminine one,
  without "(v/m/x)"; EU 2023/970 Art. 5(3) asks for gender-neutral vacancy notices and job
  titles.
* ``no_pay_range``: no salary or scale; Art. 5(1) (pay range before the interview) and the
  whitepaper (seeds/000 lines 1227-1231: salary information makes women feel fairly paid).
* ``long_requirements``: more than :data:`MAX_REQUIREMENTS` requirement lines; the whitepaper
  (seeds/000 lines 1192-1205: women apply less when they think they must meet every demand).
* ``no_societal_value`` and ``no_team``: no word on the work's value to society or on the
  team and colleagues (seeds/000 lines 1188-1193).
* ``traits``: "you are <trait>" where the behaviour could be described instead.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

DATA = Path(__file__).parent / "data" / "coded_words.yaml"
MIN_CODED_WORDS = 4
LEAN_SHARE = 2 / 3
MAX_REQUIREMENTS = 6
LANGUAGES = ("nl", "en")

_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*", re.UNICODE)
_BULLET = re.compile(r"^\s*(?:[-•*–·▪●]|\d+[.)])\s+\S")
# A stated pay: an amount of money or a scale number (EU 2023/970 Art. 5(1) asks for the
# initial pay or its range). "Marktconform salaris" or "competitive salary" is not one.
_PAY_AMOUNT = re.compile(
    r"(?:€|\beur\b|\beuro\b|[$£])\s?\d|\d[\d.,]*\s?(?:k\b|€|\beur\b|\beuro\b)"
    r"|\b(?:salaris|loon)?schaal\s*\d|\bscale\s*\d|\b(?:salaris|loon)?trede\s*\d",
    re.IGNORECASE,
)
_PAY_WORD = re.compile(r"\bsalaris|\bbeloning|\bsalary\b|\bpay\b|\bcompensation\b", re.IGNORECASE)
_GENDER_MARK = re.compile(r"\(?\s*[mvwfx]\s*/\s*[mvwfx](?:\s*/\s*[mvwfx])?\s*\)?", re.I)
_REQUIREMENT_HEADINGS = re.compile(
    r"(wat vragen wij|wat wij vragen|functie-?eisen|wat breng je mee|jouw profiel|je profiel|"
    r"wie zoeken wij|requirements|what you bring|what we ask|your profile|who you are)",
    re.IGNORECASE,
)
_HEADING_END = re.compile(
    r"(wat bieden wij|wat wij bieden|wij bieden|arbeidsvoorwaarden|what we offer|we offer|"
    r"benefits|over ons|about us|solliciteren|how to apply)",
    re.IGNORECASE,
)
_SOCIETAL = {
    "nl": (
        "maatschappij",
        "maatschappelijk",
        "samenleving",
        "duurzaam",
        "energietransitie",
        "klimaat",
        "gezondheid",
        "veiligheid",
        "impact",
        "bijdragen",
        "bijdrage",
    ),
    "en": (
        "society",
        "societal",
        "community",
        "sustainab",
        "climate",
        "health",
        "safety",
        "impact",
        "contribute",
        "contribution",
    ),
}
_TEAM = {
    "nl": ("team", "collega", "samen"),
    "en": ("team", "colleague", "together", "peers"),
}
# "Je bent X, Y en Z": the words after such a lead are read while they are traits.
_TRAIT_LEAD = {
    "nl": re.compile(r"\b(?:je bent|jij bent|ben je|ben jij|u bent|bent u)\b([^.?!;:\n]*)"),
    "en": re.compile(r"\b(?:you are|you're|are you)\b([^.?!;:\n]*)"),
}
_TRAIT_FILLER = frozenset("een en of zeer heel echt erg ook a an and or very really also".split())
# Traits a vacancy often asks for where a behaviour could be described (the trait check).
_TRAITS = {
    "nl": frozenset(
        "stressbestendig flexibel communicatief resultaatgericht proactief gedreven creatief "
        "accuraat nauwkeurig representatief enthousiast".split()
    ),
    "en": frozenset(
        "driven proactive flexible resilient detail-oriented creative passionate "
        "results-oriented enthusiastic".split()
    ),
}
# Dutch job titles whose masculine form has a feminine one (the title check).
MASCULINE_TITLES = {
    "medewerker": "medewerkster",
    "verkoper": "verkoopster",
    "directeur": "directrice",
    "leraar": "lerares",
    "docent": "docente",
    "adviseur": "adviseuse",
    "voorzitter": "voorzitster",
    "schoonmaker": "schoonmaakster",
    "kok": "kokkin",
    "secretaris": "secretaresse",
    "opzichter": "opzichteres",
}


@dataclass(frozen=True)
class Entry:
    lang: str
    code: str  # masculine | feminine
    stem: str
    examples: tuple[str, ...]
    exceptions: frozenset[str]
    exception_stems: tuple[str, ...]
    source: str

    def matches(self, word: str) -> bool:
        return (
            word.startswith(self.stem)
            and word not in self.exceptions
            and not any(word.startswith(s) for s in self.exception_stems)
        )


@dataclass(frozen=True)
class Source:
    key: str
    citation: str
    finding: str


@dataclass(frozen=True)
class Hit:
    start: int  # character offsets in the text
    end: int
    word: str
    code: str
    stem: str
    source: str


@dataclass(frozen=True)
class Finding:
    code: str  # masculine_title, no_pay_range, long_requirements, no_societal_value, ...
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class VacancyCheck:
    lang: str
    hits: tuple[Hit, ...]
    n_masculine: int
    n_feminine: int
    lean: str  # too_few | masculine | feminine | balanced
    findings: tuple[Finding, ...]

    def to_dict(self) -> dict[str, Any]:
        """The API's answer: counts, lean, every coded word with its offsets, the findings."""
        return {
            "lang": self.lang,
            "n_masculine": self.n_masculine,
            "n_feminine": self.n_feminine,
            "lean": self.lean,
            "hits": [
                {"start": h.start, "end": h.end, "word": h.word, "code": h.code, "source": h.source}
                for h in self.hits
            ],
            "findings": [{"code": f.code, "detail": f.detail} for f in self.findings],
        }

    def segments(self, text: str) -> list[tuple[str, Hit | None]]:
        """The text cut into plain parts and coded words, for highlighting in place."""
        parts: list[tuple[str, Hit | None]] = []
        at = 0
        for hit in self.hits:
            if hit.start > at:
                parts.append((text[at : hit.start], None))
            parts.append((text[hit.start : hit.end], hit))
            at = hit.end
        if at < len(text):
            parts.append((text[at:], None))
        return parts


@cache
def load_lists(path: Path = DATA) -> tuple[tuple[Entry, ...], dict[str, Source]]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    sources = {
        key: Source(key, " ".join(v["citation"].split()), " ".join(v["finding"].split()))
        for key, v in raw["sources"].items()
    }
    entries = tuple(
        Entry(
            lang=w["lang"],
            code=w["code"],
            stem=_fold(w["stem"]),
            examples=tuple(_fold(e) for e in w["examples"]),
            exceptions=frozenset(_fold(e) for e in w.get("exceptions", [])),
            exception_stems=tuple(_fold(e) for e in w.get("exception_stems", [])),
            source=w["source"],
        )
        for w in raw["words"]
    )
    return entries, sources


def _fold(word: str) -> str:
    return unicodedata.normalize("NFC", str(word)).lower()


def coded(word: str, lang: str, entries: Sequence[Entry] | None = None) -> Entry | None:
    """The entry a single word matches in ``lang``, or None."""
    folded = _fold(word)
    for entry in entries if entries is not None else load_lists()[0]:
        if entry.lang == lang and entry.matches(folded):
            return entry
    return None


def guess_language(text: str) -> str:
    words = [_fold(w) for w in _WORD.findall(text)]
    dutch = sum(w in {"de", "het", "een", "en", "je", "wij", "jij", "van", "voor"} for w in words)
    english = sum(w in {"the", "a", "and", "you", "we", "of", "for", "your", "with"} for w in words)
    return "en" if english > dutch else "nl"


def _requirement_lines(lines: Sequence[str]) -> int:
    inside, count = False, 0
    for line in lines:
        if _REQUIREMENT_HEADINGS.search(line) and not _BULLET.match(line):
            inside = True
            continue
        if inside and _HEADING_END.search(line) and not _BULLET.match(line):
            inside = False
        if inside and _BULLET.match(line):
            count += 1
    return count


def _title_finding(title: str) -> Finding | None:
    if not title or _GENDER_MARK.search(title):
        return None
    for word in (_fold(w) for w in _WORD.findall(title)):
        for masculine, feminine in MASCULINE_TITLES.items():
            if word == masculine or word.endswith(masculine):
                both = word[: len(word) - len(masculine)] + feminine
                return Finding("masculine_title", {"word": word, "feminine": both})
    return None


def _traits(folded: str, lang: str, entries: Sequence[Entry]) -> set[str]:
    found = set()
    for match in _TRAIT_LEAD[lang].finditer(folded):
        for word in _WORD.findall(match.group(1)):
            if word in _TRAIT_FILLER:
                continue
            if word not in _TRAITS[lang] and coded(word, lang, entries) is None:
                break
            found.add(word)
    return found


def check_vacancy(text: str, *, title: str = "", lang: str | None = None) -> VacancyCheck:
    """Coded words with their positions, the lean (or too few to say), and the findings.

    ``title`` is the job title (else the first non-empty line of the text)."""
    lang = lang if lang in LANGUAGES else guess_language(text)
    entries = [e for e in load_lists()[0] if e.lang == lang]
    hits = []
    for match in _WORD.finditer(text):
        entry = coded(match.group(), lang, entries)
        if entry is not None:
            hits.append(
                Hit(match.start(), match.end(), match.group(), entry.code, entry.stem, entry.source)
            )
    n_m = sum(h.code == "masculine" for h in hits)
    n_f = len(hits) - n_m
    if n_m + n_f < MIN_CODED_WORDS:
        lean = "too_few"
    elif n_m / (n_m + n_f) >= LEAN_SHARE:
        lean = "masculine"
    elif n_f / (n_m + n_f) >= LEAN_SHARE:
        lean = "feminine"
    else:
        lean = "balanced"

    lines = text.splitlines()
    findings: list[Finding] = []
    first = next((line.strip() for line in lines if line.strip()), "")
    if lang == "nl" and (finding := _title_finding(title or first)):
        findings.append(finding)
    if not _PAY_AMOUNT.search(text):
        findings.append(Finding("no_pay_range", {"vague": bool(_PAY_WORD.search(text))}))
    n_requirements = _requirement_lines(lines)
    if n_requirements > MAX_REQUIREMENTS:
        findings.append(Finding("long_requirements", {"n": n_requirements}))
    folded = _fold(text)
    words = [_fold(w) for w in _WORD.findall(text)]
    if not any(w.startswith(s) for w in words for s in _SOCIETAL[lang]):
        findings.append(Finding("no_societal_value"))
    if not any(w.startswith(s) for w in words for s in _TEAM[lang]):
        findings.append(Finding("no_team"))
    traits = sorted(_traits(folded, lang, entries))
    if traits:
        findings.append(Finding("traits", {"words": traits}))
    return VacancyCheck(lang, tuple(hits), n_m, n_f, lean, tuple(findings))
