"""Checking the parsed employee table for one purpose, reporting every problem at once.

Each command checks the fields it uses, for the rows it uses (``spec/hr-data.md``):

* every row needs a valid ``employee_id``, ``gender`` and ``hire_date``, and no
  date may be unreadable (in-service status depends on the dates);
* :func:`check_for_paygap` also needs the pay fields of people in service on
  the reference date (supervisory-board members excepted);
* :func:`check_for_flows` needs the management layer of everyone employed
  during the period and the job level of everyone in service at its end;
* :func:`check_for_import` (the web importer) needs every field of every row.

The result keeps the valid rows, so that a caller who chose "use only the valid
rows" (``--skip-invalid``) can go on, and lists the problems either way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from koers.hrfile.columns import COLUMNS_BY_NAME, describe_accepted
from koers.hrfile.employees import DATE_FIELDS, EmployeeTable
from koers.hrfile.problems import Problem, sort_problems

PAYGAP_COLUMNS = (
    "employee_id",
    "gender",
    "birth_year",
    "hire_date",
    "job_level",
    "hours_per_week",
    "annual_base_salary",
)
PAYGAP_FIELDS = (
    "birth_year",
    "job_family",
    "job_level",
    "category",
    "hours_per_week",
    "annual_base_salary",
    "annual_variable_pay",
    "education",
)
PAYGAP_REQUIRED = ("birth_year", "job_level", "hours_per_week", "annual_base_salary")
FLOWS_COLUMNS = ("employee_id", "gender", "hire_date", "job_level")
IMPORT_COLUMNS = tuple(c for c, spec in COLUMNS_BY_NAME.items() if spec.required)
_ALWAYS_REQUIRED = ("employee_id", "gender", "hire_date")


@dataclass(frozen=True)
class CheckedEmployees:
    """The outcome of a check.

    Attributes
    ----------
    employees
        The valid rows (of the selected snapshot), parsed, with their spreadsheet
        row in ``source_row``. Rows with any problem in a field the purpose
        uses are left out.
    problems
        Every problem, file-level first, then by row.
    n_rows
        Data rows considered (in the selected snapshot).
    invalid_rows
        Spreadsheet rows left out of ``employees``.
    usable
        False when a problem concerns the whole file (a required column is
        missing, no snapshot for the date): then even the valid rows cannot be
        used.
    snapshot
        The ``reference_date`` of the rows used, when the file has that column.
    """

    employees: pd.DataFrame
    problems: list[Problem]
    n_rows: int
    invalid_rows: frozenset[int]
    usable: bool
    snapshot: dt.date | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


class _Collector:
    def __init__(self, table: EmployeeTable) -> None:
        self.table = table
        self.frame = table.frame
        self.problems: list[Problem] = list(table.problems)
        self.bad = np.zeros(len(table), dtype=bool)
        self.bad[list(table.bad_rows)] = True
        self.usable = not any(p.row is None for p in table.problems)
        self.snapshot: dt.date | None = None
        self.seen: set[Problem] = set()

    def label(self, name: str) -> str:
        return self.table.sources.get(name, name)

    def add(self, position: int, name: str, message: str) -> None:
        problem = Problem(int(self.table.row_numbers[position]), self.label(name), message, name)
        if problem not in self.seen:  # a cell can be reached by two rules (hire_date)
            self.seen.add(problem)
            self.problems.append(problem)
        self.bad[position] = True

    def missing_columns(self, names: Iterable[str], why: str) -> None:
        for name in names:
            if name not in self.table.present:
                spec = COLUMNS_BY_NAME[name]
                self.problems.append(
                    Problem(
                        None,
                        name,
                        f"is missing from the file ({why}); name a column "
                        f"{describe_accepted(spec)}",
                        name,
                    )
                )
                self.usable = False

    def cell_errors(self, name: str, mask: np.ndarray) -> None:
        for position, message in self.table.errors.get(name, {}).items():
            if mask[position]:
                self.add(position, name, message)

    def require(self, name: str, mask: np.ndarray, why: str) -> None:
        blank = self.table.blank.get(name)
        if blank is None:
            return
        for position in np.flatnonzero(blank & mask):
            self.add(int(position), name, f"is empty; a value is required {why}".rstrip())

    def valid(self, name: str) -> np.ndarray:
        """True where the field has a usable value (present, not blank, no error)."""
        ok = np.ones(len(self.table), dtype=bool)
        if name not in self.table.present:
            return ok & False
        ok &= ~self.table.blank[name]
        ok[list(self.table.errors.get(name, {}))] = False
        return ok

    def select_snapshot(self, target: dt.date | None) -> np.ndarray:
        rows = np.ones(len(self.table), dtype=bool)
        if "reference_date" not in self.table.present:
            return rows
        dates = self.frame["reference_date"]
        distinct = sorted(d.date() for d in dates.dropna().unique())
        if len(distinct) <= 1:
            self.snapshot = distinct[0] if distinct else None
            return rows
        if target is None:
            return rows
        earlier = [d for d in distinct if d <= target]
        self.snapshot = earlier[-1] if earlier else distinct[0]
        rows = (dates == pd.Timestamp(self.snapshot)).to_numpy()
        blank = self.table.blank["reference_date"]
        for position in np.flatnonzero(blank):
            self.add(
                int(position),
                "reference_date",
                "is empty; the file holds several snapshots, each row needs its date",
            )
        return np.asarray(rows | blank, dtype=bool)

    def base(self, rows: np.ndarray) -> None:
        """What every row needs: id, gender, hire date, readable dates, exit after hire."""
        for name in _ALWAYS_REQUIRED:
            self.cell_errors(name, rows)
            self.require(name, rows, "")
        for name in DATE_FIELDS:
            self.cell_errors(name, rows)
        if "exit_date" in self.table.present:
            hire = self.frame["hire_date"].to_numpy()
            leave = self.frame["exit_date"].to_numpy()
            before = rows & (leave < hire)
            for position in np.flatnonzero(before):
                self.add(
                    int(position),
                    "exit_date",
                    f"{_iso(leave[position])} is before the hire date {_iso(hire[position])}",
                )

    def birth_years(self, mask: np.ndarray, reference_years: np.ndarray) -> None:
        years = self.frame["birth_year"].to_numpy()
        ok = mask & self.valid("birth_year")
        wrong = ok & ((years < 1900) | (years > reference_years - 14))
        for position in np.flatnonzero(wrong):
            self.add(
                int(position),
                "birth_year",
                f"{int(years[position])} is not a plausible birth year: between 1900 and "
                f"{int(reference_years[position]) - 14} expected",
            )

    def duplicates(self, rows: np.ndarray, key: pd.Series | None = None) -> None:
        ok = rows & self.valid("employee_id")
        positions = np.flatnonzero(ok)
        ids = self.frame["employee_id"].iloc[positions].astype("str")
        keys = pd.DataFrame({"id": ids.to_numpy()})
        if key is not None:
            keys["key"] = key.iloc[positions].astype("str").to_numpy()
        repeated = keys.duplicated(keep=False).to_numpy()
        if not repeated.any():
            return
        # Only the few rows that share an id with another row get a message.
        seen: dict[tuple[str, str], int] = {}
        for k in (int(i) for i in np.flatnonzero(repeated)):
            position = int(positions[k])
            value = (str(keys["id"].iat[k]), str(keys["key"].iat[k]) if key is not None else "")
            if value in seen:
                first = int(self.table.row_numbers[seen[value]])
                self.add(
                    position,
                    "employee_id",
                    f"employee {value[0]} appears more than once (also in row {first})",
                )
            else:
                seen[value] = position

    def leave(self, rows: np.ndarray, reference: np.ndarray) -> None:
        """The optional leave columns go together: a type needs its return date and a
        return date its type, and nobody returns after the reference date (``reference``,
        per row). Unreadable cells are reported by the caller's cell checks."""
        present = self.table.present & {"leave_type", "leave_return_date"}
        if not present:
            return
        if len(present) == 1:
            (name,) = present
            other = "leave_return_date" if name == "leave_type" else "leave_type"
            self.problems.append(
                Problem(
                    None,
                    self.label(name),
                    f"is in the file without {other}: the two leave columns go together; "
                    f"name a column {describe_accepted(COLUMNS_BY_NAME[other])} or leave "
                    "this one out",
                    name,
                )
            )
            self.usable = False
            return
        typed = self.valid("leave_type")
        dated = self.valid("leave_return_date")
        for position in np.flatnonzero(rows & dated & self.table.blank["leave_type"]):
            self.add(
                int(position),
                "leave_type",
                "is empty; a return date from leave needs the type of leave "
                "(maternity, paternity, parental or carer)",
            )
        for position in np.flatnonzero(rows & typed & self.table.blank["leave_return_date"]):
            self.add(
                int(position),
                "leave_return_date",
                "is empty; a type of leave needs the date of return from it",
            )
        back = self.frame["leave_return_date"].to_numpy()
        for position in np.flatnonzero(rows & dated & (back > reference)):
            self.add(
                int(position),
                "leave_return_date",
                f"{_iso(back[position])} is after the reference date "
                f"{_iso(reference[position])}: give the latest return on or before it",
            )

    def result(self, rows: np.ndarray) -> CheckedEmployees:
        keep = rows & ~self.bad
        employees = self.frame.loc[keep].copy()
        employees.insert(0, "source_row", self.table.row_numbers[keep])
        employees = employees.reset_index(drop=True)
        invalid = frozenset(int(n) for n in self.table.row_numbers[rows & self.bad])
        return CheckedEmployees(
            employees=employees,
            problems=sort_problems(self.problems),
            n_rows=int(rows.sum()),
            invalid_rows=invalid,
            usable=self.usable,
            snapshot=self.snapshot,
        )

    def dates_known(self) -> np.ndarray:
        """True where hire and exit dates are readable, so in-service status is known."""
        known = self.valid("hire_date")
        if "exit_date" in self.table.present:
            known[list(self.table.errors["exit_date"])] = False
        return known

    def in_service(self, rows: np.ndarray, day: dt.date) -> np.ndarray:
        hire = self.frame["hire_date"].to_numpy()
        stamp = np.datetime64(day, "s")
        in_service = rows & self.dates_known() & (hire <= stamp)
        if "exit_date" in self.table.present:
            in_service &= ~(self.frame["exit_date"].to_numpy() < stamp)
        return np.asarray(in_service, dtype=bool)

    def maybe_in_service(self, rows: np.ndarray, day: dt.date) -> np.ndarray:
        """In service, or unknown because a date is wrong: check these rows' fields too,
        so that every problem of a row is reported at once."""
        return np.asarray(self.in_service(rows, day) | (rows & ~self.dates_known()), dtype=bool)

    def not_supervisory(self, mask: np.ndarray) -> np.ndarray:
        self.cell_errors("management_layer", mask)
        layer = self.frame["management_layer"].to_numpy()
        return np.asarray(
            mask & self.valid_or_default("management_layer") & (layer != "supervisory_board"),
            dtype=bool,
        )

    def valid_or_default(self, name: str) -> np.ndarray:
        ok = np.ones(len(self.table), dtype=bool)
        ok[list(self.table.errors.get(name, {}))] = False
        return ok


def _iso(value: np.datetime64) -> str:
    return str(value)[:10]


def check_for_paygap(table: EmployeeTable, on: dt.date) -> CheckedEmployees:
    """Check what ``koers paygap --on ON`` uses.

    People in service on ``on`` (and not on the supervisory board) need valid
    pay fields, birth year, job level and job family (or a category), hours,
    education if given; everyone needs a valid id, gender and dates.
    """
    check = _Collector(table)
    check.missing_columns(PAYGAP_COLUMNS, "the pay gap needs it")
    if "category" not in table.present:
        check.missing_columns(["job_family"], "it names the categories of workers")
    rows = check.select_snapshot(on)
    if not check.usable and not table.present >= {"hire_date", "gender", "employee_id"}:
        return check.result(rows)
    check.base(rows)
    # Rows whose dates are wrong may be in service: report their wrong values too (all
    # problems at once), but ask for missing values only where in service for sure.
    maybe = check.not_supervisory(check.maybe_in_service(rows, on))
    scope = check.not_supervisory(check.in_service(rows, on))
    why = f"for everyone in service on {on.isoformat()}"
    for name in PAYGAP_FIELDS:
        check.cell_errors(name, maybe)
    for name in PAYGAP_REQUIRED:
        check.require(name, scope, why)
    if "category" in table.present:
        needs_default = scope & table.blank["category"]
    else:
        needs_default = scope
    check.require("job_family", needs_default, why)
    if "category" in table.present and "job_family" not in table.present:
        # Without job_family there is no default label for an empty category.
        check.require("category", scope, why)
    if "birth_year" in table.present:
        check.birth_years(scope, np.full(len(table), on.year))
    check.duplicates(rows)
    return check.result(rows)


def check_for_flows(table: EmployeeTable, start: dt.date, end: dt.date) -> CheckedEmployees:
    """Check what ``koers flows --from START --to END`` uses.

    Everyone employed at some time in the period needs a valid management layer;
    everyone in service on ``end`` a job level; everyone a valid id, gender and
    dates.
    """
    check = _Collector(table)
    check.missing_columns(FLOWS_COLUMNS, "flows need it")
    rows = check.select_snapshot(end)
    if not table.present >= {"hire_date", "gender", "employee_id"}:
        return check.result(rows)
    check.base(rows)
    hire = table.frame["hire_date"].to_numpy()
    window = check.maybe_in_service(rows, start) | (
        rows
        & check.valid("hire_date")
        & (hire > np.datetime64(start, "s"))
        & (hire <= np.datetime64(end, "s"))
    )
    check.not_supervisory(window)
    check.cell_errors("job_level", check.not_supervisory(check.maybe_in_service(rows, end)))
    at_end = check.not_supervisory(check.in_service(rows, end))
    check.require("job_level", at_end, f"for everyone in service on {end.isoformat()}")
    check.duplicates(rows)
    return check.result(rows)


def check_for_import(table: EmployeeTable, reference_date: dt.date) -> CheckedEmployees:
    """Check every field of every row, for the web importer's snapshot on ``reference_date``.

    Required columns must be present and filled, except that supervisory-board
    members (who are not employees) need only id, gender, dates and layer.
    Birth years are checked against each row's ``reference_date`` when the file
    has one, else against ``reference_date``; ids must be unique per reference date.
    """
    check = _Collector(table)
    check.missing_columns(IMPORT_COLUMNS, "it is required")
    rows = np.ones(len(table), dtype=bool)
    if not table.present >= {"hire_date", "gender", "employee_id"}:
        return check.result(rows)
    check.base(rows)
    staff = check.not_supervisory(rows)
    for name in table.present:
        if name not in _ALWAYS_REQUIRED and name not in DATE_FIELDS:
            check.cell_errors(name, rows)
    for name in IMPORT_COLUMNS:
        if name not in _ALWAYS_REQUIRED:
            check.require(name, staff, "")
    years = np.full(len(table), reference_date.year)
    key = None
    if "reference_date" in table.present:
        dates = table.frame["reference_date"]
        years = np.where(dates.notna(), dates.dt.year.fillna(0), years).astype(int)
        key = dates
    if "birth_year" in table.present:
        check.birth_years(staff, years)
    reference = np.full(len(table), np.datetime64(reference_date, "s"))
    if "reference_date" in table.present:
        own = table.frame["reference_date"].to_numpy()
        reference = np.where(np.isnat(own), reference, own)
    check.leave(rows, reference)
    check.duplicates(rows, key)
    return check.result(rows)
