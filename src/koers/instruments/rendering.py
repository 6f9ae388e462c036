"""Turn an instrument into what one respondent sees: texts, visibility, progress.

Pure functions of ``(instrument, answers, language)``; the survey app stores
answers and calls :func:`render_section` for the page it shows. ``answers`` maps
item ids to the stored values (int for scale/number items, str for choice and
text items); unanswered items are absent or None.

Personalisation
    ``{title}`` in an item text becomes the respondent's professional title
    ("engineer", "technicus", "onderzoeker" or their own text; in English
    "engineer", "technician", "researcher"), ``{Title}`` the same with a capital,
    ``{a_title}``/``{A_title}`` the title with an indefinite article ("een
    technicus", "an engineer", "a technician"). Items with ``text_by_gender``
    use the variant for the respondent's answer to the gender item ("vrouw",
    "man"); any other answer, or none, gets the neutral ``text``.

Own text is inserted as plain text: templates must escape it as usual (Django
does), never mark it safe.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from koers.instruments.definition import (
    LANGUAGES,
    PLACEHOLDER_RE,
    Answer,
    Answers,
    Instrument,
    Item,
    Section,
    Text,
)

__all__ = [
    "Progress",
    "RenderedItem",
    "RenderedSection",
    "RespondentContext",
    "effective_answers",
    "fill_placeholders",
    "first_unanswered",
    "item_label",
    "item_text",
    "next_section",
    "previous_section",
    "progress",
    "render_section",
    "respondent_context",
    "unanswered_items",
    "visible_items",
    "visible_sections",
]

_ARTICLE_A_PREFIXES = ("uni", "use", "usa", "usu", "uti", "ure", "uro", "eu", "one", "once", "ux")
_ARTICLE_AN_PREFIXES = ("hour", "honest", "honor", "honour", "heir")
_LETTERS_NAMED_WITH_VOWEL = frozenset("AEFHILMNORSX")


@dataclass(frozen=True)
class RespondentContext:
    """What personalises the texts for one respondent.

    ``title`` is the title as inserted in sentences (None: use the instrument's
    fallback); ``gender`` is the respondent's answer to the gender item.
    """

    language: str = "nl"
    title: str | None = None
    gender: str | None = None

    def __post_init__(self) -> None:
        if self.language not in LANGUAGES:
            raise ValueError(f"unknown language {self.language!r}; use one of {LANGUAGES}")


@dataclass(frozen=True)
class Progress:
    """ "Deel 3 van 9 · nog ongeveer 12 minuten": section number, count, minutes left.

    ``minutes_left`` includes the current section, rounded up to whole minutes.
    """

    number: int
    n_sections: int
    minutes_left: int


@dataclass(frozen=True)
class RenderedItem:
    """One item ready for a template.

    ``text`` is what is shown next to the answer control (for items under a
    stem, the short phrase); ``label`` is the complete sentence, for screen
    readers and exports ("Ik vind tv kijken leuk"). ``points`` lists
    ``(value, label or None)`` for scale items, ``options`` ``(value, label)``
    for choice items.
    """

    id: str
    type: str
    text: str
    label: str
    help: str | None
    optional: bool
    answer: Answer | None
    points: tuple[tuple[int, str | None], ...] = ()
    options: tuple[tuple[str, str], ...] = ()
    min: int | None = None
    max: int | None = None
    unit: str | None = None
    max_length: int | None = None


@dataclass(frozen=True)
class RenderedSection:
    id: str
    title: str
    intro: str
    stem: str | None
    items: tuple[RenderedItem, ...]
    progress: Progress


def _indefinite_article_en(title: str) -> str:
    first_word = title.split()[0] if title.split() else title
    if len(first_word) > 1 and first_word.isupper():
        # An acronym is read letter by letter: "an ICT specialist", "a PhD student".
        return "an" if first_word[0] in _LETTERS_NAMED_WITH_VOWEL else "a"
    lowered = title.lower()
    if lowered.startswith(_ARTICLE_AN_PREFIXES):
        return "an"
    if lowered.startswith(_ARTICLE_A_PREFIXES):
        return "a"
    return "an" if lowered[:1] in ("a", "e", "i", "o", "u") else "a"


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def fill_placeholders(text: str, *, title: str, language: str) -> str:
    """Replace ``{title}``, ``{Title}``, ``{a_title}``, ``{A_title}`` in ``text``.

    One pass with a regular expression, so braces in the respondent's own
    title are never interpreted.

    Examples
    --------
    >>> fill_placeholders("Ik ben er trots op {title} te zijn.", title="technicus", language="nl")
    'Ik ben er trots op technicus te zijn.'
    >>> fill_placeholders("Being {a_title} matters.", title="engineer", language="en")
    'Being an engineer matters.'
    """

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in ("title", "Title"):
            value = title
        else:
            article = "een" if language == "nl" else _indefinite_article_en(title)
            value = f"{article} {title}"
        return _capitalise(value) if name[0].isupper() else value

    return PLACEHOLDER_RE.sub(replace, text)


def _clean_own_title(raw: str, max_length: int | None) -> str:
    title = " ".join(raw.split())
    if max_length is not None:
        title = title[:max_length].rstrip()
    # "Productontwikkelaar" reads better mid-sentence as "productontwikkelaar";
    # acronyms ("ICT'er", "PhD-kandidaat") keep their capitals.
    if len(title) > 1 and title[0].isupper() and title[1].islower():
        title = title[0].lower() + title[1:]
    return title


def respondent_context(
    instrument: Instrument, answers: Answers, *, language: str = "nl"
) -> RespondentContext:
    """The personalisation for a respondent, from their (visible) answers."""
    answers = effective_answers(instrument, answers)
    personalisation = instrument.personalisation
    title: str | None = None
    if personalisation.title_item is not None:
        chosen = answers.get(personalisation.title_item)
        title_item = instrument.item(personalisation.title_item)
        option = next((o for o in title_item.options if o.value == chosen), None)
        if option is not None and option.inline is not None:
            title = option.inline.get(language)
        elif option is not None and personalisation.title_text_item is not None:
            own = answers.get(personalisation.title_text_item)
            if isinstance(own, str) and own.strip():
                text_item = instrument.item(personalisation.title_text_item)
                title = _clean_own_title(own, text_item.max_length)
    gender: str | None = None
    if personalisation.gender_item is not None:
        answer = answers.get(personalisation.gender_item)
        gender = answer if isinstance(answer, str) else None
    return RespondentContext(language=language, title=title, gender=gender)


def _title_for(instrument: Instrument, context: RespondentContext) -> str:
    if context.title:
        return context.title
    fallback = instrument.personalisation.title_fallback
    return fallback.get(context.language) if fallback is not None else ""


def _render(instrument: Instrument, text: Text, context: RespondentContext) -> str:
    return fill_placeholders(
        text.get(context.language),
        title=_title_for(instrument, context),
        language=context.language,
    )


def item_text(instrument: Instrument, item: Item, context: RespondentContext) -> str:
    """The item's text for this respondent: gender variant, then title filled in."""
    text = item.text
    if context.gender is not None and context.gender in item.text_by_gender:
        text = item.text_by_gender[context.gender]
    return _render(instrument, text, context)


def item_label(instrument: Instrument, item: Item, context: RespondentContext) -> str:
    """The complete sentence: the section stem with the item text in its gap."""
    text = item_text(instrument, item, context)
    stem = instrument.section(item.section).stem
    if stem is None or item.type != "scale":
        return text
    return stem.get(context.language).replace("…", text, 1)


def effective_answers(instrument: Instrument, answers: Answers) -> dict[str, Answer]:
    """The answers that count: those of visible items, in questionnaire order.

    An answer to an item that a later change made invisible (e.g. the own
    title after choosing "engineer") is ignored, and conditions that depend on
    it are false.
    """
    effective: dict[str, Answer] = {}
    for section in instrument.sections:
        if section.show_if is not None and not section.show_if.is_met(effective):
            continue
        for item in section.items:
            if item.show_if is not None and not item.show_if.is_met(effective):
                continue
            value = answers.get(item.id)
            if value is not None and value != "":
                effective[item.id] = value
    return effective


def visible_sections(instrument: Instrument, answers: Answers) -> tuple[Section, ...]:
    """Sections shown to this respondent, in order."""
    effective = effective_answers(instrument, answers)
    return tuple(
        section
        for section in instrument.sections
        if section.show_if is None or section.show_if.is_met(effective)
    )


def visible_items(
    instrument: Instrument, answers: Answers, section_id: str | None = None
) -> tuple[Item, ...]:
    """Items shown to this respondent (of one section, or all), in order."""
    effective = effective_answers(instrument, answers)
    shown: list[Item] = []
    for section in visible_sections(instrument, answers):
        if section_id is not None and section.id != section_id:
            continue
        for item in section.items:
            if item.show_if is None or item.show_if.is_met(effective):
                shown.append(item)
    return tuple(shown)


def unanswered_items(instrument: Instrument, answers: Answers) -> tuple[Item, ...]:
    """Visible, non-optional items without an answer: the "you skipped these" list."""
    return tuple(
        item
        for item in visible_items(instrument, answers)
        if not item.optional and answers.get(item.id) in (None, "")
    )


def first_unanswered(instrument: Instrument, answers: Answers) -> Item | None:
    """Where a resumed respondent lands: the first visible item without an answer."""
    for item in visible_items(instrument, answers):
        if answers.get(item.id) in (None, ""):
            return item
    return None


def _neighbour(
    instrument: Instrument, section_id: str, answers: Answers, step: int
) -> Section | None:
    order = [section.id for section in instrument.sections]
    shown = {section.id for section in visible_sections(instrument, answers)}
    index = order.index(instrument.section(section_id).id) + step
    while 0 <= index < len(order):
        if order[index] in shown:
            return instrument.section(order[index])
        index += step
    return None


def next_section(instrument: Instrument, section_id: str, answers: Answers) -> Section | None:
    """The next visible section after ``section_id``, or None at the end."""
    return _neighbour(instrument, section_id, answers, +1)


def previous_section(instrument: Instrument, section_id: str, answers: Answers) -> Section | None:
    """The previous visible section before ``section_id``, or None at the start."""
    return _neighbour(instrument, section_id, answers, -1)


def progress(instrument: Instrument, section_id: str, answers: Answers) -> Progress:
    """Position of ``section_id`` among the visible sections, and minutes left.

    Sections hidden by earlier answers (e.g. the work questions for someone
    without paid work) count neither in the total nor in the minutes.
    """
    current = instrument.section(section_id)
    visible = {section.id for section in visible_sections(instrument, answers)}
    shown = [
        section
        for section in instrument.sections
        if section.id in visible or section.id == current.id
    ]
    index = next(i for i, section in enumerate(shown) if section.id == current.id)
    minutes = sum(section.minutes for section in shown[index:])
    return Progress(number=index + 1, n_sections=len(shown), minutes_left=math.ceil(minutes))


def _points(item: Item, language: str) -> tuple[tuple[int, str | None], ...]:
    scale = item.response_scale
    if scale is None:
        return ()
    return tuple(
        (point, scale.labels[point].get(language) if point in scale.labels else None)
        for point in scale.points
    )


def render_section(
    instrument: Instrument,
    section_id: str,
    answers: Answers,
    *,
    language: str = "nl",
) -> RenderedSection:
    """Everything a template needs to show one section to one respondent.

    Only visible items are included; texts are personalised with the title and
    gender from ``answers``; each item carries its current answer.

    Examples
    --------
    >>> from koers.instruments import get_instrument
    >>> compass = get_instrument("career_compass", 1)
    >>> answers = {"title": "technicus", "gender": "woman", "work_status": "yes"}
    >>> page = render_section(compass, "career", answers, language="nl")
    >>> page.items[1].text
    'Ik ben er trots op technicus te zijn.'
    """
    context = respondent_context(instrument, answers, language=language)
    section = instrument.section(section_id)
    rendered: list[RenderedItem] = []
    for item in visible_items(instrument, answers, section_id):
        answer = answers.get(item.id)
        rendered.append(
            RenderedItem(
                id=item.id,
                type=item.type,
                text=item_text(instrument, item, context),
                label=item_label(instrument, item, context),
                help=_render(instrument, item.help, context) if item.help is not None else None,
                optional=item.optional,
                answer=answer if answer != "" else None,
                points=_points(item, language),
                options=tuple((o.value, o.label.get(language)) for o in item.options),
                min=item.min,
                max=item.max,
                unit=item.unit.get(language) if item.unit is not None else None,
                max_length=item.max_length,
            )
        )
    return RenderedSection(
        id=section.id,
        title=section.title.get(language),
        intro=section.intro.get(language),
        stem=section.stem.get(language) if section.stem is not None else None,
        items=tuple(rendered),
        progress=progress(instrument, section_id, answers),
    )
