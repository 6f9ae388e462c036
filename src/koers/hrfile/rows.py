"""One row per person, one parser per column kind: the loop the small HR files share.

The applicant file (selection funnel) and the appraisal file read their columns the same
way: names and aliases resolved by :mod:`koers.hrfile.columns`, each cell parsed by its
kind, every problem with its row and column, an id that may appear only once. A row with
a problem is left out; the caller decides whether a file with problems is refused (the web
imports refuse it whole).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from koers.hrfile import cells as c
from koers.hrfile.columns import ColumnSpec, describe_accepted, exact_mapping, resolve_mapping
from koers.hrfile.problems import Problem, sort_problems
from koers.hrfile.reader import RawTable


@dataclass(frozen=True)
class ParsedRows:
    """The rows without problems (``source_row`` plus one key per column), and the problems.

    ``usable`` is False when a problem concerns the whole file (a missing column, an
    unreadable header); ``complete`` is False when a required column is missing."""

    records: list[dict[str, object]]
    problems: list[Problem]
    usable: bool
    complete: bool


def parse_rows(
    raw: RawTable,
    columns: Sequence[ColumnSpec],
    parsers: Mapping[str, Callable[[c.Cell], object]],
    *,
    file_name: str,
    unique: str | None = None,
    duplicate: Callable[[str, int], str] | None = None,
) -> ParsedRows:
    """Parse ``raw`` by ``columns``; ``parsers`` maps a column kind to its cell parser.

    ``file_name`` names the file in a missing-column message ("the applicant file");
    ``unique`` is the column whose value may appear once, ``duplicate(value, first_row)``
    the message for a second row with it."""
    mapping = exact_mapping(raw.headers, columns)
    positions, sources, problems = resolve_mapping(raw.headers, mapping, columns)
    problems = [*problems, *raw.problems]
    usable = not any(p.row is None for p in problems)
    for spec in columns:
        if spec.required and spec.name not in positions:
            problems.append(
                Problem(
                    None,
                    spec.name,
                    f"is missing from {file_name}; name a column {describe_accepted(spec)}",
                    spec.name,
                )
            )
            usable = False
    if not all(spec.name in positions for spec in columns if spec.required):
        return ParsedRows([], sort_problems(problems), False, False)
    bad = {p.row for p in raw.problems}
    first_row: dict[str, int] = {}
    records: list[dict[str, object]] = []
    for row, number in zip(raw.rows, raw.row_numbers, strict=True):
        record: dict[str, object] = {"source_row": number}
        ok = number not in bad
        for spec in columns:
            if spec.name not in positions:
                record[spec.name] = None
                continue
            value = row[positions[spec.name]]
            if c.is_blank(value):
                record[spec.name] = None
                if spec.required:
                    problems.append(
                        Problem(
                            number, sources[spec.name], "is empty; a value is required", spec.name
                        )
                    )
                    ok = False
                continue
            try:
                record[spec.name] = parsers[spec.kind](value)
            except c.CellError as error:
                problems.append(Problem(number, sources[spec.name], str(error), spec.name))
                ok = False
        key = record.get(unique) if unique else None
        if isinstance(key, str):
            if key in first_row:
                message = duplicate(key, first_row[key]) if duplicate else "appears twice"
                problems.append(Problem(number, sources[str(unique)], message, str(unique)))
                ok = False
            else:
                first_row[key] = number
        if ok:
            records.append(record)
    return ParsedRows(records, sort_problems(problems), usable, True)
