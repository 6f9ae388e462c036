"""The optional events file: employee_id, event, date, from_level, to_level.

Organisations that can export history give one row per hire, exit, promotion or
level change (``spec/hr-data.md``). ``koers flows --events FILE`` counts its
promotion events instead of ``last_promotion_date``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from koers.hrfile import cells as c
from koers.hrfile.columns import ColumnSpec
from koers.hrfile.problems import Problem
from koers.hrfile.reader import RawTable, Source, read_table
from koers.hrfile.rows import parse_rows

EVENT_COLUMNS: tuple[ColumnSpec, ...] = (
    ColumnSpec(
        "employee_id",
        "id",
        True,
        ("personeelsnummer", "medewerkernummer"),
        ("employee id", "employee number"),
    ),
    ColumnSpec("event", "event", True, ("gebeurtenis", "mutatie"), ("event type", "soort")),
    ColumnSpec("date", "date", True, ("datum", "ingangsdatum"), ("event date", "effective date")),
    ColumnSpec("from_level", "level", False, ("van schaal", "oude schaal"), ("from level",)),
    ColumnSpec("to_level", "level", False, ("naar schaal", "nieuwe schaal"), ("to level",)),
)
EVENT_CODES = {
    "hire": "hire",
    "indiensttreding": "hire",
    "in dienst": "hire",
    "exit": "exit",
    "uitdiensttreding": "exit",
    "uit dienst": "exit",
    "promotion": "promotion",
    "promotie": "promotion",
    "level_change": "level_change",
    "level change": "level_change",
    "schaalwijziging": "level_change",
    "niveauwijziging": "level_change",
}


def parse_event(value: c.Cell) -> str:
    key = " ".join(str(value).strip().lower().split())
    if key in EVENT_CODES:
        return EVENT_CODES[key]
    raise c.CellError(f"{c.show(value)} is not an event: use hire, exit, promotion or level_change")


@dataclass(frozen=True)
class EventTable:
    """Valid events (``employee_id``, ``event``, ``date``, levels, ``source_row``) and problems."""

    events: pd.DataFrame
    problems: list[Problem]
    usable: bool


def read_events(source: Source, *, filename: str | None = None) -> EventTable:
    """Read and check an events file; every row needs an id, a known event and a date.

    Raises :class:`~koers.hrfile.problems.HRFileError` when the file is unreadable.
    """
    raw = read_table(source, filename=filename, columns=EVENT_COLUMNS)
    return parse_events(raw)


def parse_events(raw: RawTable) -> EventTable:
    parsed = parse_rows(
        raw,
        EVENT_COLUMNS,
        {"id": c.parse_code, "event": parse_event, "date": c.parse_date, "level": c.parse_code},
        file_name="the events file",
    )
    records, problems, usable = parsed.records, parsed.problems, parsed.usable
    events = pd.DataFrame.from_records(
        records, columns=["source_row", *(s.name for s in EVENT_COLUMNS)]
    )
    events["date"] = pd.Series(
        np.array(
            [
                np.datetime64(d, "s") if isinstance(d, dt.date) else np.datetime64("NaT")
                for d in events["date"]
            ],
            dtype="datetime64[s]",
        ),
        index=events.index,
    )
    return EventTable(events=events, problems=problems, usable=usable)


def unknown_employees(
    events: pd.DataFrame, employee_ids: Iterable[str], start: dt.date, end: dt.date
) -> list[Problem]:
    """Promotion events in the period whose employee is not among ``employee_ids``."""
    known = set(employee_ids)
    lo, hi = np.datetime64(start, "D"), np.datetime64(end, "D")
    days = np.asarray(events["date"].to_numpy(), dtype="datetime64[D]")
    in_period = (events["event"].to_numpy() == "promotion") & (days > lo) & (days <= hi)
    problems = []
    for row, employee in zip(
        events["source_row"][in_period], events["employee_id"][in_period], strict=True
    ):
        if str(employee) not in known:
            problems.append(
                Problem(
                    int(row),
                    "employee_id",
                    f"employee {employee} is not in the HR file (or not a valid row there)",
                    "employee_id",
                )
            )
    return problems
