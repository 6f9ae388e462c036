"""The appraisal file of appraisal parity: one row per employee appraised in a round.

Columns (canonical name, Dutch aliases): ``employee_id`` (personeelsnummer,
medewerkernummer, medewerker), ``reviewer_id`` (beoordelaar, leidinggevende),
``gender`` (geslacht; the codes of ``spec/hr-data.md``), ``job_level`` (functieniveau,
niveau, schaal), ``rating`` (beoordeling, eindoordeel, score: a number such as 1 to 5,
``3,5`` with a decimal comma) and, optionally, ``text`` (beoordelingstekst, toelichting,
tekst): the appraisal's written part. The file is read like an HR export and every problem
is reported with its row and column; the web import refuses a file with problems whole.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from koers.hrfile import cells as c
from koers.hrfile.columns import ColumnSpec
from koers.hrfile.problems import Problem
from koers.hrfile.reader import RawTable, Source, read_table
from koers.hrfile.rows import parse_rows

MAX_APPRAISAL_TEXT = 20_000

APPRAISAL_COLUMNS: tuple[ColumnSpec, ...] = (
    ColumnSpec(
        "employee_id",
        "id",
        True,
        ("personeelsnummer", "medewerkernummer", "medewerker"),
        ("employee", "employee number"),
    ),
    ColumnSpec(
        "reviewer_id",
        "id",
        True,
        ("beoordelaar", "leidinggevende", "beoordelaarsnummer"),
        ("reviewer", "manager", "rater"),
    ),
    ColumnSpec("gender", "gender", True, ("geslacht",), ("sex",)),
    ColumnSpec(
        "job_level",
        "level",
        True,
        ("functieniveau", "niveau", "schaal", "functieschaal"),
        ("job level", "level", "grade"),
    ),
    ColumnSpec(
        "rating",
        "rating",
        True,
        ("beoordeling", "eindoordeel", "score", "eindscore"),
        ("rating", "overall rating"),
    ),
    ColumnSpec(
        "text",
        "long_text",
        False,
        ("beoordelingstekst", "toelichting", "tekst", "opmerkingen"),
        ("appraisal text", "comments", "narrative"),
    ),
)


@dataclass(frozen=True)
class AppraisalTable:
    """Valid rows (``employee_id``, ``reviewer_id``, ``gender``, ``job_level``, ``rating``,
    ``text``, ``source_row``) and the problems found."""

    appraisals: pd.DataFrame
    problems: list[Problem]
    usable: bool


def parse_rating(value: c.Cell) -> float:
    try:
        return c.parse_number(value)
    except c.CellError:
        raise c.CellError(
            f"{c.show(value)} is not a rating: use a number, such as 1 to 5 or 3,5"
        ) from None


def parse_long_text(value: c.Cell) -> str:
    """A written appraisal: line breaks kept, other control characters refused."""
    text = str(value).replace("\r\n", "\n").replace("\r", "\n").strip()
    if len(text) > MAX_APPRAISAL_TEXT:
        raise c.CellError(f"is {len(text)} characters long (at most {MAX_APPRAISAL_TEXT})")
    if any(not (ch.isprintable() or ch in "\n\t") for ch in text):
        raise c.CellError("contains control characters")
    return text


def read_appraisals(source: Source, *, filename: str | None = None) -> AppraisalTable:
    """Read and check an appraisal file.

    Raises :class:`~koers.hrfile.problems.HRFileError` when the file is unreadable."""
    raw = read_table(source, filename=filename, columns=APPRAISAL_COLUMNS)
    return parse_appraisals(raw)


def parse_appraisals(raw: RawTable) -> AppraisalTable:
    parsed = parse_rows(
        raw,
        APPRAISAL_COLUMNS,
        {
            "id": c.parse_code,
            "gender": c.parse_gender,
            "level": c.parse_code,
            "rating": parse_rating,
            "long_text": parse_long_text,
        },
        file_name="the appraisal file",
        unique="employee_id",
        duplicate=lambda employee, first: (
            f"employee {employee} appears twice (first in row {first}); give each employee "
            "one row per appraisal round"
        ),
    )
    columns = ["source_row", *(s.name for s in APPRAISAL_COLUMNS)]
    frame = pd.DataFrame.from_records(parsed.records, columns=columns)
    return AppraisalTable(frame, parsed.problems, parsed.usable and parsed.complete)
