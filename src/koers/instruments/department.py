"""A campaign's own department question, appended to an instrument at runtime.

The department question is the only source of team breakdowns (invitations
never carry a department), it is defined per campaign as a choice list, it is
optional to answer, and it is never part of a definition file: the id
``department`` is reserved there (``koers.instruments.loader.RESERVED_ITEM_IDS``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from koers.instruments.definition import Instrument, Item, Option, Text

__all__ = ["DEPARTMENT_ITEM_ID", "DEPARTMENT_QUESTION", "with_department_question"]

DEPARTMENT_ITEM_ID = "department"

DEPARTMENT_QUESTION = Text(
    nl="In welke afdeling of welk team werk je?",
    en="Which department or team do you work in?",
)
_DEPARTMENT_HELP = Text(
    nl="Deze vraag mag je overslaan. Je organisatie ziet alleen cijfers over groepen, "
    "nooit jouw antwoorden.",
    en="You may skip this question. Your organisation only sees figures about groups, "
    "never your answers.",
)


def _label(value: str | Text) -> Text:
    if isinstance(value, Text):
        return value
    return Text(nl=value, en=value)


def with_department_question(
    instrument: Instrument,
    departments: Sequence[tuple[str, str | Text]],
    *,
    question: Text | None = None,
) -> Instrument:
    """A view of ``instrument`` with the campaign's optional department question.

    Parameters
    ----------
    instrument
        A loaded instrument whose definition names a ``department_section``.
    departments
        ``(value, label)`` pairs defined by the organisation, in display order.
        ``value`` is what is stored (e.g. the department's primary key as text);
        ``label`` is a :class:`Text` or one string used for both languages.
    question
        Overrides the default wording.

    Returns
    -------
    Instrument
        A copy whose ``department_section`` starts with an optional choice item
        ``department``. Key, version and ``content_hash`` are unchanged: the
        published definition is the same; the department list belongs to the
        campaign.

    Raises
    ------
    ValueError
        If the instrument has no department section, the list is empty, or a
        value or label is empty or repeated.
    """
    if instrument.department_section is None:
        raise ValueError(f"{instrument.key} v{instrument.version} has no department_section")
    if any(item.id == DEPARTMENT_ITEM_ID for item in instrument.items):
        raise ValueError("the instrument already has a department question")
    if not departments:
        raise ValueError("a department question needs at least one department")
    options: list[Option] = []
    seen: set[str] = set()
    for value, label in departments:
        text = _label(label)
        if not isinstance(value, str) or not value.strip():
            raise ValueError(f"department value {value!r} must be non-empty text")
        if value in seen:
            raise ValueError(f"department value {value!r} is repeated")
        if not text.nl.strip() or not text.en.strip():
            raise ValueError(f"department {value!r} needs a non-empty label")
        seen.add(value)
        options.append(Option(value=value, label=text))
    item = Item(
        id=DEPARTMENT_ITEM_ID,
        type="choice",
        text=question or DEPARTMENT_QUESTION,
        section=instrument.department_section,
        help=_DEPARTMENT_HELP,
        options=tuple(options),
        optional=True,
    )
    sections = tuple(
        dataclasses.replace(section, items=(item, *section.items))
        if section.id == instrument.department_section
        else section
        for section in instrument.sections
    )
    return dataclasses.replace(instrument, sections=sections)
