"""The applicant file of the selection funnel: one row per candidate.

Columns (canonical name, Dutch aliases): ``candidate_id`` (kandidaatnummer,
sollicitantnummer), ``job_family`` (functiefamilie, functiegroep, vakgebied),
``gender`` (geslacht; the codes of ``spec/hr-data.md``), ``application_date``
(sollicitatiedatum, datum sollicitatie) and ``stage``, the furthest stage reached
(fase, hoogste fase, bereikte fase). The file is read like an HR export (``;`` or ``,``,
Windows-1252 or UTF-8, title lines, ``.xlsx``, ``dd-mm-jjjj``), and every problem is
reported with its row and column; a file with problems yields no figures.

The web import stores a keyed hash of each candidate id, never the id
(``koers.recruitment.services``); the funnel itself needs no id, only that no candidate is
counted twice.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pandas as pd

from koers.hrfile import cells as c
from koers.hrfile.columns import ColumnSpec
from koers.hrfile.problems import Problem
from koers.hrfile.reader import RawTable, Source, read_table
from koers.hrfile.rows import parse_rows
from koers.stats.funnel import DEFAULT_STAGES, DUTCH_STAGES

APPLICANT_COLUMNS: tuple[ColumnSpec, ...] = (
    ColumnSpec(
        "candidate_id",
        "id",
        True,
        ("kandidaatnummer", "sollicitantnummer", "kandidaat", "sollicitant"),
        ("candidate", "applicant id", "applicant"),
    ),
    ColumnSpec(
        "job_family",
        "text",
        False,
        ("functiefamilie", "functiegroep", "vakgebied"),
        ("job family", "job group"),
    ),
    ColumnSpec("gender", "gender", True, ("geslacht",), ("sex",)),
    ColumnSpec(
        "application_date",
        "date",
        False,
        ("sollicitatiedatum", "datum sollicitatie"),
        ("application date", "applied on"),
    ),
    ColumnSpec(
        "stage",
        "stage",
        True,
        ("fase", "hoogste fase", "bereikte fase"),
        ("furthest stage", "stage reached"),
    ),
)


@dataclass(frozen=True)
class ApplicantTable:
    """Valid candidates (``candidate_id``, ``job_family``, ``gender``, ``application_date``,
    ``stage``, ``stage_index``, ``source_row``) and the problems found."""

    applicants: pd.DataFrame
    problems: list[Problem]
    stages: tuple[str, ...]
    usable: bool


def stage_parser(stages: Sequence[str]) -> Callable[[c.Cell], int]:
    """A cell parser giving the index of the stage in ``stages`` (Dutch default names too)."""
    index = {s.strip().lower(): i for i, s in enumerate(stages)}
    for dutch, english in DUTCH_STAGES.items():
        if english in index and dutch not in index:
            index[dutch] = index[english]

    def parse(value: c.Cell) -> int:
        key = " ".join(str(value).strip().lower().split())
        if key in index:
            return index[key]
        raise c.CellError(f"{c.show(value)} is not a stage: use one of {', '.join(stages)}")

    return parse


def read_applicants(
    source: Source, *, stages: Sequence[str] = DEFAULT_STAGES, filename: str | None = None
) -> ApplicantTable:
    """Read and check an applicant file.

    Raises :class:`~koers.hrfile.problems.HRFileError` when the file is unreadable.
    """
    raw = read_table(source, filename=filename, columns=APPLICANT_COLUMNS)
    return parse_applicants(raw, stages)


def parse_applicants(raw: RawTable, stages: Sequence[str] = DEFAULT_STAGES) -> ApplicantTable:
    stages = tuple(s.strip() for s in stages)
    columns = ["source_row", *(s.name for s in APPLICANT_COLUMNS), "stage_index"]
    parsed = parse_rows(
        raw,
        APPLICANT_COLUMNS,
        {
            "id": c.parse_code,
            "text": c.parse_text,
            "gender": c.parse_gender,
            "date": c.parse_date,
            "stage": stage_parser(stages),
        },
        file_name="the applicant file",
        unique="candidate_id",
        duplicate=lambda candidate, first: (
            f"candidate {candidate} appears twice (first in row {first}); give each "
            "candidate one row with the furthest stage reached"
        ),
    )
    for record in parsed.records:
        index = record["stage"]
        assert isinstance(index, int)
        record["stage_index"], record["stage"] = index, stages[index]
    applicants = pd.DataFrame.from_records(parsed.records, columns=columns)
    return ApplicantTable(applicants, parsed.problems, stages, parsed.usable and parsed.complete)
