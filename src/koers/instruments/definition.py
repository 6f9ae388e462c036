"""The questionnaire definition model: what a loaded instrument YAML becomes.

Plain frozen dataclasses, no Django. ``koers.instruments.loader`` builds them
from a YAML file and validates every cross-reference; everything downstream
(rendering, the survey app, scoring keys) can trust them. The format is
documented key by key in ``docs/instruments.md``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Literal

__all__ = [
    "ANSWER_TYPES",
    "LANGUAGES",
    "PLACEHOLDERS",
    "AnswerError",
    "Answers",
    "Condition",
    "Element",
    "Instrument",
    "InstrumentError",
    "Item",
    "Option",
    "Personalisation",
    "ResponseScale",
    "Scale",
    "Section",
    "Text",
]

#: Every text in a definition must exist in all of these languages.
LANGUAGES: tuple[str, ...] = ("nl", "en")
#: The item types a definition may use.
ANSWER_TYPES: tuple[str, ...] = ("scale", "choice", "number", "text")
#: Placeholders allowed in item texts; see ``koers.instruments.rendering``.
PLACEHOLDERS: frozenset[str] = frozenset({"title", "Title", "a_title", "A_title"})
#: Matches ``{name}`` placeholders in a text.
PLACEHOLDER_RE = re.compile(r"\{([^{}]*)\}")

ItemType = Literal["scale", "choice", "number", "text"]
ScaleKind = Literal["facet", "scale"]
Answer = int | str
#: A respondent's answers: item id -> value (int for scale/number, str for choice/text).
Answers = Mapping[str, Answer | None]


class InstrumentError(ValueError):
    """A definition file is invalid. The message names the file and the item.

    Attributes
    ----------
    path
        The file (or ``<string>``) the definition came from.
    where
        What is wrong, e.g. ``"item 'tv_1'"`` or ``"section 'start'"``; None for
        file-level problems.
    item
        The item id when the problem is in an item, else None.
    problem
        The message without the location.
    """

    def __init__(
        self,
        path: str | Path,
        problem: str,
        *,
        where: str | None = None,
        item: str | None = None,
    ) -> None:
        self.path = str(path)
        self.where = where
        self.item = item
        self.problem = problem
        location = f"{self.path}: {where}: " if where else f"{self.path}: "
        super().__init__(location + problem)


class AnswerError(ValueError):
    """An answer does not fit its item (wrong type, unknown option, out of range)."""


@dataclass(frozen=True)
class Text:
    """A text in every language of :data:`LANGUAGES`."""

    nl: str
    en: str

    def get(self, language: str) -> str:
        if language == "nl":
            return self.nl
        if language == "en":
            return self.en
        raise ValueError(f"unknown language {language!r}; use one of {LANGUAGES}")

    def items(self) -> Iterator[tuple[str, str]]:
        yield "nl", self.nl
        yield "en", self.en


@dataclass(frozen=True)
class ResponseScale:
    """A numeric rating scale, e.g. 1..7, with labels for at least both ends."""

    id: str
    min: int
    max: int
    labels: Mapping[int, Text]

    @property
    def points(self) -> tuple[int, ...]:
        return tuple(range(self.min, self.max + 1))


@dataclass(frozen=True)
class Option:
    """One answer option of a choice item.

    ``code`` is a numeric code for exports (e.g. the sector code 0..3),
    ``group`` a grouping for analysis (e.g. ``technical`` job categories),
    ``inline`` the form used when the answer is inserted into another text
    (the professional title).
    """

    value: str
    label: Text
    code: int | None = None
    group: str | None = None
    inline: Text | None = None


@dataclass(frozen=True)
class Condition:
    """When an item or section is shown.

    A leaf compares one earlier item's answer (``equals``, ``in``, ``not_in``);
    ``all`` and ``any`` combine conditions. A leaf on an unanswered (or hidden)
    item is false, whatever its operator.
    """

    operator: Literal["equals", "in", "not_in", "all", "any"]
    item: str | None = None
    values: tuple[Answer, ...] = ()
    conditions: tuple[Condition, ...] = ()

    def is_met(self, answers: Answers) -> bool:
        if self.operator == "all":
            return all(condition.is_met(answers) for condition in self.conditions)
        if self.operator == "any":
            return any(condition.is_met(answers) for condition in self.conditions)
        assert self.item is not None  # guaranteed by the loader for leaf operators
        answer = answers.get(self.item)
        if answer is None or answer == "":
            return False
        if self.operator == "not_in":
            return answer not in self.values
        return answer in self.values

    def referenced_items(self) -> frozenset[str]:
        if self.item is not None:
            return frozenset({self.item})
        found: set[str] = set()
        for condition in self.conditions:
            found |= condition.referenced_items()
        return frozenset(found)


@dataclass(frozen=True)
class Item:
    """One question. ``section`` is the id of the section that holds it."""

    id: str
    type: ItemType
    text: Text
    section: str
    help: Text | None = None
    scale: str | None = None
    reverse: bool = False
    response_scale: ResponseScale | None = None
    options: tuple[Option, ...] = ()
    min: int | None = None
    max: int | None = None
    unit: Text | None = None
    max_length: int | None = None
    show_if: Condition | None = None
    optional: bool = False
    text_by_gender: Mapping[str, Text] = field(default_factory=dict)
    source: str | None = None

    def option(self, value: str) -> Option:
        for option in self.options:
            if option.value == value:
                return option
        raise KeyError(f"item {self.id!r} has no option {value!r}")

    def clean_answer(self, value: object) -> Answer:
        """Check and normalise one answer; raise :class:`AnswerError` if it does not fit.

        Scale and number answers become ``int`` (digit strings from a form are
        accepted); choice answers must be an option value; text answers are
        stripped and must not exceed ``max_length``.
        """
        if self.type in ("scale", "number"):
            if isinstance(value, bool):
                raise AnswerError(f"{self.id}: expected a whole number, got {value!r}")
            if isinstance(value, str) and re.fullmatch(r"\s*-?\d{1,9}\s*", value):
                value = int(value)
            if not isinstance(value, int):
                raise AnswerError(f"{self.id}: expected a whole number, got {value!r}")
            # The loader guarantees a response scale on scale items and min/max on numbers.
            if self.type == "scale":
                assert self.response_scale is not None
                low, high = self.response_scale.min, self.response_scale.max
            else:
                assert self.min is not None
                assert self.max is not None
                low, high = self.min, self.max
            if not low <= value <= high:
                raise AnswerError(f"{self.id}: {value} is outside {low}..{high}")
            return value
        if not isinstance(value, str):
            raise AnswerError(f"{self.id}: expected text, got {value!r}")
        if self.type == "choice":
            if value not in {option.value for option in self.options}:
                raise AnswerError(f"{self.id}: {value!r} is not one of the options")
            return value
        if any("\ud800" <= ch <= "\udfff" for ch in value):
            raise AnswerError(f"{self.id}: not valid text (a lone surrogate)")
        # Control characters (NUL, BEL, …) carry no meaning in an answer, and PostgreSQL
        # refuses NUL in text and jsonb: drop them; whitespace runs become one space.
        printable = "".join(ch for ch in value if ch.isspace() or not _is_control(ch))
        cleaned = " ".join(printable.split())
        if self.max_length is not None and len(cleaned) > self.max_length:
            raise AnswerError(f"{self.id}: longer than {self.max_length} characters")
        return cleaned


def _is_control(ch: str) -> bool:
    return unicodedata.category(ch) == "Cc"


@dataclass(frozen=True)
class Section:
    """One screen: a title, an intro line, optionally a stem shared by its items.

    ``stem`` contains one ``…`` where the item text goes ("Ik vind … leuk").
    ``minutes`` is the estimated time to answer it.
    """

    id: str
    title: Text
    intro: Text
    minutes: float
    items: tuple[Item, ...]
    stem: Text | None = None
    show_if: Condition | None = None


@dataclass(frozen=True)
class Element:
    """A content element of the identity (interests, values, ...): groups facets."""

    id: str
    label: Text


@dataclass(frozen=True)
class Scale:
    """A score computed as the mean of its items (see ``koers.stats.scales``).

    ``kind`` is ``facet`` for the content facets (they belong to an element and
    are the profile model's inputs) or ``scale`` for the other scales
    (identification, career clarity, ...). ``covers`` maps the terms of the
    six-profile table in ``spec/compass.md`` to ``high`` or ``low``: a high score
    on this facet means that term (``extravert: high, introvert: low``).
    """

    id: str
    kind: ScaleKind
    label: Text
    element: str | None = None
    description: Text | None = None
    covers: Mapping[str, Literal["high", "low"]] = field(default_factory=dict)


@dataclass(frozen=True)
class Personalisation:
    """Which items personalise other texts.

    The answer to ``title_item`` (an option's ``inline`` text) or, for an option
    without one, the text answer to ``title_text_item``, fills ``{title}``;
    ``title_fallback`` is used while neither is known. The answer to
    ``gender_item`` selects an item's ``text_by_gender`` variant.
    """

    title_item: str | None = None
    title_text_item: str | None = None
    title_fallback: Text | None = None
    gender_item: str | None = None


@dataclass(frozen=True)
class Instrument:
    """A validated, versioned questionnaire definition.

    ``content_hash`` is the sha256 of the canonical form of the definition file
    (see ``koers.instruments.registry``); a view with a campaign's department
    question keeps the hash of the file it came from.
    """

    key: str
    version: int
    title: Text
    description: Text
    response_scales: Mapping[str, ResponseScale]
    elements: tuple[Element, ...]
    scales: tuple[Scale, ...]
    sections: tuple[Section, ...]
    personalisation: Personalisation
    content_hash: str
    source: str
    department_section: str | None = None
    published: bool = False

    @cached_property
    def items(self) -> tuple[Item, ...]:
        """All items in questionnaire order (computed once: instruments are immutable)."""
        return tuple(item for section in self.sections for item in section.items)

    @cached_property
    def _items_by_id(self) -> dict[str, Item]:
        return {item.id: item for item in self.items}

    def item(self, item_id: str) -> Item:
        try:
            return self._items_by_id[item_id]
        except KeyError:
            raise KeyError(f"{self.key} v{self.version} has no item {item_id!r}") from None

    def section(self, section_id: str) -> Section:
        for section in self.sections:
            if section.id == section_id:
                return section
        raise KeyError(f"{self.key} v{self.version} has no section {section_id!r}")

    def scale(self, scale_id: str) -> Scale:
        for scale in self.scales:
            if scale.id == scale_id:
                return scale
        raise KeyError(f"{self.key} v{self.version} has no scale {scale_id!r}")

    @property
    def facets(self) -> tuple[Scale, ...]:
        return tuple(scale for scale in self.scales if scale.kind == "facet")

    def scale_items(self, scale_id: str) -> tuple[Item, ...]:
        return tuple(item for item in self.items if item.scale == scale_id)

    @property
    def total_minutes(self) -> float:
        return sum(section.minutes for section in self.sections)

    @property
    def minutes_to_tell(self) -> int:
        """The length respondents are told: the total rounded to 5 minutes (at least 5)."""
        return max(5, round(self.total_minutes / 5) * 5)
