"""Reading HR exports (CSV, Dutch Excel CSV, ``.xlsx``) into the canonical employee table.

Pure Python, no Django: the ``koers paygap``/``koers flows`` commands and the web
importer use the same steps::

    raw = read_table(data, filename="export.csv")        # rows of cells, row numbers
    mapping = suggest_mapping(raw.headers)               # web: shown, confirmed, saved
    table = parse_employees(raw, mapping)                # every cell parsed or explained
    checked = check_for_import(table, reference_date)    # all problems at once
    checked.problems  -> [Problem(row=5, column="Geslacht", message=...), ...]
    checked.employees -> the valid rows as a DataFrame

``mapping=None`` uses the exact canonical names and spec aliases (the CLI).
"""

from __future__ import annotations

from koers.hrfile.columns import (
    EMPLOYEE_COLUMNS,
    ColumnSpec,
    exact_mapping,
    suggest_mapping,
)
from koers.hrfile.employees import EmployeeTable, parse_employees
from koers.hrfile.events import EventTable, read_events
from koers.hrfile.problems import HRFileError, Problem
from koers.hrfile.reader import RawTable, read_table
from koers.hrfile.validation import (
    CheckedEmployees,
    check_for_flows,
    check_for_import,
    check_for_paygap,
)

__all__ = [
    "EMPLOYEE_COLUMNS",
    "CheckedEmployees",
    "ColumnSpec",
    "EmployeeTable",
    "EventTable",
    "HRFileError",
    "Problem",
    "RawTable",
    "check_for_flows",
    "check_for_import",
    "check_for_paygap",
    "exact_mapping",
    "parse_employees",
    "read_events",
    "read_table",
    "suggest_mapping",
]
