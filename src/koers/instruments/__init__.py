"""Versioned questionnaire definitions (YAML, Dutch and English) and their loader.

Pure Python, no Django. The survey app calls:

- :func:`get_instrument` (``key``, ``version``) for the definition a response was
  given with; :func:`load_shipped_instruments` for all of them;
- :func:`with_department_question` to add a campaign's department list;
- :func:`render_section`, :func:`progress`, :func:`next_section`,
  :func:`first_unanswered`, :func:`unanswered_items` and ``Item.clean_answer``
  for the respondent flow;
- :func:`scoring_key` to score with ``koers.stats.scales``.

The format is documented in ``docs/instruments.md``.
"""

from __future__ import annotations

from koers.instruments.definition import (
    LANGUAGES,
    AnswerError,
    Answers,
    Condition,
    Element,
    Instrument,
    InstrumentError,
    Item,
    Option,
    Personalisation,
    ResponseScale,
    Scale,
    Section,
    Text,
)
from koers.instruments.department import DEPARTMENT_ITEM_ID, with_department_question
from koers.instruments.loader import (
    content_hash,
    instrument_from_data,
    load_instrument,
    parse_instrument,
)
from koers.instruments.registry import (
    get_instrument,
    load_shipped_instruments,
    lock_line,
    read_lock,
)
from koers.instruments.rendering import (
    Progress,
    RenderedItem,
    RenderedSection,
    RespondentContext,
    effective_answers,
    fill_placeholders,
    first_unanswered,
    item_label,
    item_text,
    next_section,
    previous_section,
    progress,
    render_section,
    respondent_context,
    unanswered_items,
    visible_items,
    visible_sections,
)
from koers.instruments.scoring import scoring_key, unscored_scales

__all__ = [
    "DEPARTMENT_ITEM_ID",
    "LANGUAGES",
    "AnswerError",
    "Answers",
    "Condition",
    "Element",
    "Instrument",
    "InstrumentError",
    "Item",
    "Option",
    "Personalisation",
    "Progress",
    "RenderedItem",
    "RenderedSection",
    "RespondentContext",
    "ResponseScale",
    "Scale",
    "Section",
    "Text",
    "content_hash",
    "effective_answers",
    "fill_placeholders",
    "first_unanswered",
    "get_instrument",
    "instrument_from_data",
    "item_label",
    "item_text",
    "load_instrument",
    "load_shipped_instruments",
    "lock_line",
    "next_section",
    "parse_instrument",
    "previous_section",
    "progress",
    "read_lock",
    "render_section",
    "respondent_context",
    "scoring_key",
    "unscored_scales",
    "unanswered_items",
    "visible_items",
    "visible_sections",
    "with_department_question",
]
