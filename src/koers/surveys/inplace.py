"""Follow-up questions shown in place ("Iets anders, namelijk …" → a text field).

A question whose condition is a plain ``equals``/``in`` on another question of
the same page is rendered on that page already, hidden, with the answer that
shows it (``data-show-if-item`` / ``data-show-if-values``); ``survey.js`` shows
it the moment that answer is chosen, without reloading the page or moving the
focus. Without JavaScript the page works as before: saving the answer reloads
the page with the question visible.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from koers.instruments import render_section, visible_items


@dataclass(frozen=True)
class Waiting:
    """A hidden follow-up: the rendered item, the question it follows and its values."""

    item: Any
    controller: str
    values: str  # space-separated answers that show it


def waiting_items(
    instrument: Any, section_id: str, answers: dict[str, Any], language: str
) -> dict[str, Waiting]:
    """Hidden follow-ups of this page by item id (empty when none qualifies)."""
    section = instrument.section(section_id)
    shown = {i.id for i in visible_items(instrument, answers, section_id)}
    waiting: dict[str, Waiting] = {}
    for item in section.items:
        condition = item.show_if
        if item.id in shown or condition is None or condition.operator not in ("equals", "in"):
            continue
        if condition.item not in shown or not condition.values:
            continue
        trial = {**answers, condition.item: condition.values[0]}
        page = render_section(instrument, section_id, trial, language=language)
        match = next((r for r in page.items if r.id == item.id), None)
        if match is not None:
            values = " ".join(str(v) for v in condition.values)
            waiting[item.id] = Waiting(match, str(condition.item), values)
    return waiting


def with_waiting(
    section: Any, visible: list[Any], waiting: dict[str, Waiting]
) -> list[tuple[Any, Waiting | None]]:
    """The page's items in the section's order, hidden follow-ups at their place."""
    by_id = {item.id: item for item in visible}
    ordered: list[tuple[Any, Waiting | None]] = []
    for item in section.items:
        if item.id in by_id:
            ordered.append((by_id[item.id], None))
        elif item.id in waiting:
            ordered.append((waiting[item.id].item, waiting[item.id]))
    return ordered
