"""Problems found in an HR file, reported to the user all at once.

A :class:`Problem` names the spreadsheet row the user sees (the header line is
row 1; title lines above it shift the count) and the column header as written in
the file, so that ``koers paygap`` can print ``row N, column C: what is wrong``
and the web importer can show the same list next to its preview.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the input.

    ``row`` is ``None`` for problems with the file or a whole column (a missing
    column, an unreadable file); ``column`` is ``None`` for problems with a whole
    row (too many cells). ``field`` is the canonical column name, when known, for
    code that wants to highlight a cell in a mapped preview.
    """

    row: int | None
    column: str | None
    message: str
    field: str | None = None

    def __str__(self) -> str:
        parts = []
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column is not None:
            parts.append(f"column {self.column}")
        where = ", ".join(parts) if parts else "file"
        return f"{where}: {self.message}"

    def sort_key(self) -> tuple[int, str, str]:
        return (-1 if self.row is None else self.row, self.column or "", self.message)


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    """File-level problems first, then by row and column."""
    return sorted(problems, key=Problem.sort_key)


class HRFileError(Exception):
    """The input cannot be used at all (unreadable file, no header, missing columns).

    ``problems`` holds the details; ``str(error)`` joins them one per line.
    """

    def __init__(self, problems: Sequence[Problem] | Problem | str) -> None:
        if isinstance(problems, str):
            problems = [Problem(None, None, problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
