"""Interpreting a :class:`~koers.hrfile.reader.RawTable` as the canonical employee table.

:func:`parse_employees` maps the file's headers onto canonical columns and
parses every mapped cell. It never decides whether a problem matters: which
rows and fields a command uses is :mod:`koers.hrfile.validation`'s job. It only
records, per cell, the value or what is wrong with it.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from koers.hrfile import cells as c
from koers.hrfile.columns import (
    COLUMNS_BY_NAME,
    EMPLOYEE_COLUMNS,
    ColumnSpec,
    exact_mapping,
    resolve_mapping,
)
from koers.hrfile.problems import Problem
from koers.hrfile.reader import RawTable
from koers.hrfile.vectorised import parse_text_column

# Text columns keep Python strings (fast to hand to the statistics), as before pyarrow.
TEXT = pd.StringDtype("python", na_value=np.nan)
DATE_FIELDS = ("reference_date", "hire_date", "exit_date", "last_promotion_date")
NUMBER_FIELDS = ("hours_per_week", "annual_base_salary", "annual_variable_pay", "training_spend")
# Defaults for empty cells, from spec/hr-data.md.
DEFAULTS: dict[str, Any] = {
    "management_layer": "none",
    "annual_variable_pay": 0.0,
    "education": "unknown",
}


def _check_hours(value: float) -> None:
    if not 0 < value <= 60:
        raise c.CellError(f"{value:g} hours per week is not possible: more than 0, at most 60")


# Amounts above this are typing or export errors (a column of ids read as pay).
MAX_AMOUNT = 1e9


def _check_salary(value: float) -> None:
    if value <= 0:
        raise c.CellError(f"{value:g}: the annual base salary must be more than 0")
    if value > MAX_AMOUNT:
        raise c.CellError(f"{value:g} is not a plausible annual amount (at most {MAX_AMOUNT:g})")


def _check_not_negative(value: float) -> None:
    if value < 0:
        raise c.CellError(f"{value:g} is negative: an amount of 0 or more is expected")
    if value > MAX_AMOUNT:
        raise c.CellError(f"{value:g} is not a plausible annual amount (at most {MAX_AMOUNT:g})")


# The same rules in bulk: True where a value certainly passes its check.
_IN_RANGE: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "hours_per_week": lambda v: (v > 0) & (v <= 60),
    "annual_base_salary": lambda v: (v > 0) & (v <= MAX_AMOUNT),
    "annual_variable_pay": lambda v: (v >= 0) & (v <= MAX_AMOUNT),
    "training_spend": lambda v: (v >= 0) & (v <= MAX_AMOUNT),
}

_RANGE_CHECKS: dict[str, Callable[[float], None]] = {
    "hours_per_week": _check_hours,
    "annual_base_salary": _check_salary,
    "annual_variable_pay": _check_not_negative,
    "training_spend": _check_not_negative,
}


@dataclass
class EmployeeTable:
    """Parsed cells of an HR file, one row per data row.

    Attributes
    ----------
    frame
        Canonical columns present in the file (plus ``management_layer``,
        ``annual_variable_pay`` and ``education`` with their defaults), parsed:
        dates as ``datetime64``, numbers as ``float64`` (``birth_year`` too),
        ``is_technical`` as nullable boolean, codes as lower-case text, ``NaN``/
        ``NaT``/``None`` where a cell is empty or wrong.
    row_numbers
        Spreadsheet row of each frame row.
    sources
        Canonical name → header as written in the file (for messages).
    errors
        Canonical name → {frame row position: message} for cells that could not
        be read. Empty cells are not errors here.
    blank
        Canonical name → boolean array, True where the cell was empty.
    problems
        Mapping problems and rows with too many cells.
    bad_rows
        Frame row positions with a row-level problem (always invalid).
    """

    frame: pd.DataFrame
    row_numbers: np.ndarray
    sources: dict[str, str]
    errors: dict[str, dict[int, str]]
    blank: dict[str, np.ndarray]
    problems: list[Problem] = field(default_factory=list)
    bad_rows: set[int] = field(default_factory=set)
    header_row: int = 1

    @property
    def present(self) -> frozenset[str]:
        """Canonical columns the file has (mapped)."""
        return frozenset(self.sources)

    def __len__(self) -> int:
        return len(self.frame)


def parse_employees(
    raw: RawTable,
    mapping: Mapping[str, str] | None = None,
    *,
    columns: Sequence[ColumnSpec] = EMPLOYEE_COLUMNS,
    progress: Callable[[float], None] | None = None,
) -> EmployeeTable:
    """Map and parse every cell of ``raw``.

    Parameters
    ----------
    raw
        From :func:`~koers.hrfile.reader.read_table`.
    mapping
        ``{source header: canonical name}``, as confirmed by the user in the web
        importer. ``None`` (the CLI) uses :func:`~koers.hrfile.columns.exact_mapping`:
        canonical names and the aliases in ``spec/hr-data.md``.
    progress
        Called with the fraction done (0..1) after each column, for a
        background job's progress bar.
    """
    if mapping is None:
        mapping = exact_mapping(raw.headers, columns)
    positions, sources, problems = resolve_mapping(raw.headers, mapping, columns)
    problems = [*problems, *raw.problems]
    number_to_position = {n: i for i, n in enumerate(raw.row_numbers)} if raw.problems else {}
    bad_rows = {number_to_position[p.row] for p in raw.problems if p.row in number_to_position}

    data: dict[str, Any] = {}
    errors: dict[str, dict[int, str]] = {}
    blank: dict[str, np.ndarray] = {}
    for name, position in positions.items():
        spec = COLUMNS_BY_NAME[name]
        column = raw.columns[position]
        if isinstance(column, list):
            parsed, column_errors, is_blank = _parse_column(spec, column, raw.decimal)
        else:
            result = parse_text_column(
                spec.kind,
                column,
                functools.partial(_parser, spec.kind),
                _RANGE_CHECKS.get(spec.name),
                DEFAULTS.get(spec.name),
                decimal=raw.decimal,
                in_range=_IN_RANGE.get(spec.name),
            )
            parsed, column_errors, is_blank = result.values, result.errors, result.blank
        data[name] = parsed
        errors[name] = column_errors
        blank[name] = is_blank
        if progress is not None:
            progress(len(data) / len(positions))
    n_rows = len(raw)
    for name, default in DEFAULTS.items():
        if name not in data:
            data[name] = np.full(
                n_rows, default, dtype=object if isinstance(default, str) else None
            )
    frame = _to_frame(data, n_rows)
    if "category" in frame and "job_family" in frame and "job_level" in frame:
        frame["category"] = _fill_category(frame)
    return EmployeeTable(
        frame=frame,
        row_numbers=np.asarray(raw.row_numbers, dtype=np.int64),
        sources=sources,
        errors=errors,
        blank=blank,
        problems=problems,
        bad_rows=bad_rows,
        header_row=raw.header_row,
    )


def _parser(kind: str, decimal: str) -> Callable[[c.Cell], Any]:
    simple: dict[str, Callable[[c.Cell], Any]] = {
        "id": c.parse_code,
        "level": c.parse_code,
        "text": c.parse_text,
        "date": c.parse_date,
        "gender": c.parse_gender,
        "bool": c.parse_bool,
        "education": c.parse_education,
        "management_layer": c.parse_management_layer,
        "leave_type": c.parse_leave_type,
    }
    if kind in simple:
        return simple[kind]
    if kind == "birth_year":
        return lambda v: c.parse_int(v, decimal)
    return lambda v: c.parse_number(v, decimal)


def _parse_column(
    spec: ColumnSpec, values: list[c.Cell], file_decimal: str
) -> tuple[list[Any], dict[int, str], np.ndarray]:
    decimal = file_decimal
    if spec.kind in ("hours", "salary", "variable_pay", "money", "birth_year"):
        decimal = c.infer_decimal(set(v for v in values if isinstance(v, str)), file_decimal)
    parse = _parser(spec.kind, decimal)
    check = _RANGE_CHECKS.get(spec.name)
    default = DEFAULTS.get(spec.name)
    cache: dict[tuple[type, Any], tuple[Any, str | None]] = {}
    parsed: list[Any] = []
    errors: dict[int, str] = {}
    is_blank = np.zeros(len(values), dtype=bool)
    for i, value in enumerate(values):
        if c.is_blank(value):
            is_blank[i] = True
            parsed.append(default)
            continue
        key = (type(value), value)
        hit = cache.get(key)
        if hit is None:
            try:
                result = parse(value)
                if check is not None:
                    check(result)
                hit = (result, None)
            except c.CellError as error:
                hit = (None, str(error))
            if len(cache) < 200_000:
                cache[key] = hit
        parsed.append(hit[0])
        if hit[1] is not None:
            errors[i] = hit[1]
    return parsed, errors, is_blank


def _to_frame(data: dict[str, Any], n_rows: int) -> pd.DataFrame:
    columns: dict[str, Any] = {}
    for name, values in data.items():
        kind = COLUMNS_BY_NAME[name].kind
        if kind == "date":
            columns[name] = pd.Series(_dates(values), dtype="datetime64[s]")
        elif kind in ("hours", "salary", "variable_pay", "money", "birth_year"):
            if not isinstance(values, np.ndarray):
                values = np.array([np.nan if v is None else v for v in values], dtype=np.float64)
            columns[name] = pd.Series(values)
        elif kind == "bool":
            if isinstance(values, np.ndarray) and values.dtype == np.float64:
                flags = pd.arrays.BooleanArray(values == 1, np.isnan(values))
                columns[name] = pd.Series(flags)
            else:
                columns[name] = pd.Series(pd.array(values, dtype="boolean"))
        else:
            columns[name] = pd.Series(values, dtype=TEXT)
    frame = pd.DataFrame(columns, index=pd.RangeIndex(n_rows))
    ordered = [c.name for c in EMPLOYEE_COLUMNS if c.name in frame]
    return frame[ordered]


def _dates(values: Any) -> np.ndarray:
    if isinstance(values, np.ndarray) and values.dtype == np.dtype("datetime64[s]"):
        return values
    out = np.full(len(values), np.datetime64("NaT"), dtype="datetime64[s]")
    for i, value in enumerate(values):
        if isinstance(value, dt.date):
            out[i] = np.datetime64(value, "s")
    return out


def _fill_category(frame: pd.DataFrame) -> pd.Series:
    default = frame["job_family"].astype(TEXT) + " / " + frame["job_level"].astype(TEXT)
    return frame["category"].where(frame["category"].notna(), default)
