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
from koers.hrfile.columns import ColumnSpec, describe_accepted, exact_mapping, resolve_mapping
from koers.hrfile.problems import Problem, sort_problems
from koers.hrfile.reader import RawTable, Source, read_table
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
    mapping = exact_mapping(raw.headers, APPLICANT_COLUMNS)
    positions, sources, problems = resolve_mapping(raw.headers, mapping, APPLICANT_COLUMNS)
    problems = [*problems, *raw.problems]
    usable = not any(p.row is None for p in problems)
    for spec in APPLICANT_COLUMNS:
        if spec.required and spec.name not in positions:
            problems.append(
                Problem(
                    None,
                    spec.name,
                    f"is missing from the applicant file; name a column {describe_accepted(spec)}",
                    spec.name,
                )
            )
            usable = False
    columns = ["source_row", *(s.name for s in APPLICANT_COLUMNS), "stage_index"]
    if not all(spec.name in positions for spec in APPLICANT_COLUMNS if spec.required):
        return ApplicantTable(pd.DataFrame(columns=columns), sort_problems(problems), stages, False)
    parsers = {
        "id": c.parse_code,
        "text": c.parse_text,
        "gender": c.parse_gender,
        "date": c.parse_date,
        "stage": stage_parser(stages),
    }
    bad = {p.row for p in raw.problems}
    first_row: dict[str, int] = {}
    records: list[dict[str, object]] = []
    for row, number in zip(raw.rows, raw.row_numbers, strict=True):
        record: dict[str, object] = {"source_row": number}
        ok = number not in bad
        for spec in APPLICANT_COLUMNS:
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
        candidate = record.get("candidate_id")
        if isinstance(candidate, str):
            if candidate in first_row:
                problems.append(
                    Problem(
                        number,
                        sources["candidate_id"],
                        f"candidate {candidate} appears twice (first in row "
                        f"{first_row[candidate]}); give each candidate one row with the "
                        "furthest stage reached",
                        "candidate_id",
                    )
                )
                ok = False
            else:
                first_row[candidate] = number
        if ok:
            index = record["stage"]
            assert isinstance(index, int)
            record["stage_index"], record["stage"] = index, stages[index]
            records.append(record)
    applicants = pd.DataFrame.from_records(records, columns=columns)
    return ApplicantTable(applicants, sort_problems(problems), stages, usable)
