"""The report's texts as data: profile statements with their seed lines, and score texts.

Django-free. ``data/profile_texts.yaml`` holds what the report says about each profile
(every statement traceable to a line of seed 001; next steps as Koers's suggestions with
their reasons); ``data/report_texts.yaml`` the texts that depend on a score band. Both
carry ``nl`` and ``en``; the HR reader of a shared report gets the ``*_hr`` variants,
written about the employee in the third person.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

DATA = Path(__file__).resolve().parent / "data"
SEED_PREFIX = "001"


@dataclass(frozen=True)
class Statement:
    """One row of the seed's profile table: a category and the seed's own terms."""

    category: str
    source: str  # "001:<line>" or "001:<first>-<last>"
    terms: tuple[Mapping[str, str], ...]  # {"seed": as in the seed, "text": as we write it}
    text: Mapping[str, str]

    def lines(self) -> tuple[int, int]:
        prefix, _, span = self.source.partition(":")
        if prefix != SEED_PREFIX or not span:
            raise ValueError(f"source {self.source!r} is not '{SEED_PREFIX}:<line>'")
        first, _, last = span.partition("-")
        return int(first), int(last or first)


@dataclass(frozen=True)
class Suggestion:
    """A next step: Koers's suggestion, why, and the seed line it builds on."""

    text: Mapping[str, str]
    why: Mapping[str, str]
    builds_on: str


@dataclass(frozen=True)
class ProfileText:
    typical: tuple[Statement, ...]
    atypical: tuple[Statement, ...]
    next_steps: tuple[Suggestion, ...]


@dataclass(frozen=True)
class ProfileTexts:
    categories: Mapping[str, Mapping[str, str]]
    glossary: Mapping[str, str]
    profiles: Mapping[str, ProfileText]


def _term(raw: Any) -> dict[str, str]:
    if isinstance(raw, str):
        return {"seed": raw, "text": raw}
    return {"seed": str(raw["seed"]), "text": str(raw["text"])}


def _statement(raw: Mapping[str, Any]) -> Statement:
    return Statement(
        category=str(raw["category"]),
        source=str(raw["source"]),
        terms=tuple(_term(t) for t in raw["terms"]),
        text={"nl": str(raw["nl"]), "en": str(raw["en"])},
    )


@cache
def profile_texts(path: Path = DATA / "profile_texts.yaml") -> ProfileTexts:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    profiles = {
        key: ProfileText(
            typical=tuple(_statement(s) for s in p["typical"]),
            atypical=tuple(_statement(s) for s in p["atypical"]),
            next_steps=tuple(
                Suggestion({"nl": s["nl"], "en": s["en"]}, s["why"], str(s["builds_on"]))
                for s in p["next_steps"]
            ),
        )
        for key, p in raw["profiles"].items()
    }
    return ProfileTexts(raw["categories"], raw["glossary"], profiles)


@cache
def report_texts(path: Path = DATA / "report_texts.yaml") -> Mapping[str, Any]:
    loaded: Mapping[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return loaded


def band_text(scale: str, band: str, language: str, *, hr: bool = False) -> str:
    return str(report_texts()["bands_hr" if hr else "bands"][scale][band][language])


def stigma_key(score: float, gender: str | None, high: float, low: float) -> str:
    if score >= high:
        return "high_woman" if gender == "woman" else "high"
    return "middle" if score > low else "low"


def stigma_message(key: str, language: str, *, hr: bool = False) -> str:
    if hr:  # the HR reader gets no research claim and no advice addressed to them
        key = "high" if key == "high_woman" else key
        return str(report_texts()["stigma_hr"][key][language])
    return str(report_texts()["stigma"][key][language])
