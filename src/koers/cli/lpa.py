"""``koers lpa``: latent profile analysis of a CSV file (contract: docs/cli-lpa.md)."""

from __future__ import annotations

import json
import math
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
import numpy as np

from koers.cli import main
from koers.hrfile import HRFileError, RawTable, read_table
from koers.hrfile.vectorised import number_column
from koers.stats.lpa import MODELS, ProfileEstimates, ProfileFit, estimate_profiles, n_parameters

#: Cell values read as missing besides the empty cell (R, Stata and SPSS exports).
MISSING_TOKENS = frozenset({"", "na", "n/a", "nan", "."})


@dataclass(frozen=True)
class Indicators:
    """The numeric matrix read from the CSV file, with notes for stderr."""

    values: np.ndarray[Any, np.dtype[np.float64]]
    columns: list[str]
    notes: list[str]


@main.command("lpa")
@click.argument(
    "input_csv",
    metavar="INPUT.csv",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
)
@click.option(
    "--columns",
    help="Comma-separated indicator columns. Default: every numeric column "
    "except `id` and names ending in `_id`.",
)
@click.option(
    "--model",
    type=click.IntRange(1, 6),
    default=1,
    show_default=True,
    help="tidyLPA model: 1 equal variances, 2 varying variances, 3 equal variances and "
    "covariances, 4 varying variances + equal covariances, 5 equal variances + varying "
    "covariances, 6 varying variances and covariances.",
)
@click.option(
    "--profiles",
    default="1-8",
    show_default=True,
    help="Numbers of profiles to fit: a range (1-8), a list (2,3,5) or one number.",
)
@click.option(
    "--starts", type=click.IntRange(min=1), default=20, show_default=True, help="EM starts per K."
)
@click.option("--seed", type=int, default=1, show_default=True, help="Random seed.")
@click.option(
    "--min-share",
    type=click.FloatRange(0.0, 1.0),
    default=0.05,
    show_default=True,
    help="Smallest acceptable profile share for selecting K.",
)
@click.option(
    "--blrt",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Bootstrap draws for the likelihood-ratio test of K-1 vs K (0: no test).",
)
@click.option(
    "--jobs",
    type=int,
    default=-1,
    show_default=True,
    help="Processes for the bootstrap test (-1: one per CPU).",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of a table.")
def lpa(
    input_csv: Path,
    columns: str | None,
    model: int,
    profiles: str,
    starts: int,
    seed: int,
    min_share: float,
    blrt: int,
    jobs: int,
    as_json: bool,
) -> None:
    """Latent profile analysis: fit 1-8 profiles to the numeric columns of INPUT.csv.

    Empty cells are missing values (full-information maximum likelihood).
    Reports fit indices per number of profiles and selects K by the lowest BIC
    among solutions whose smallest profile has at least --min-share and no
    collapsed variance.
    """
    ks = parse_profiles(profiles)
    data = read_indicators(input_csv, columns)
    for note in data.notes:
        click.echo(f"note: {note}", err=True)
    n, d = data.values.shape
    if not any(k <= n and n_parameters(model, k, d) <= n for k in ks):
        k = min(ks)
        raise click.UsageError(
            f"none of the requested numbers of profiles ({profiles}) can be fitted: "
            f"{k} profile(s) of model {model} need {n_parameters(model, k, d)} parameters "
            f"but there are only {n} rows. Use fewer profiles (--profiles), a simpler "
            "model (--model 1) or fewer columns (--columns)."
        )
    bar = _Progress(enabled=not as_json)
    try:
        result = estimate_profiles(
            data.values,
            ks,
            model=model,
            n_starts=starts,
            random_state=seed,
            min_share=min_share,
            n_bootstrap=blrt,
            n_jobs=jobs,
            progress=bar.update,
        )
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    finally:
        bar.close()
    if as_json:
        click.echo(json.dumps(result.to_dict()))
    else:
        click.echo(format_table(result, data.columns, min_share))
    if result.selected_n_profiles is None:
        click.echo(
            f"No number of profiles qualifies: every fitted solution has a profile smaller "
            f"than {min_share:.0%} of the rows or a collapsed variance. Try fewer profiles, "
            "a lower --min-share or another --model.",
            err=True,
        )


def parse_profiles(text: str) -> list[int]:
    """``"1-8"`` → 1..8, ``"2,3,5"`` → [2, 3, 5], ``"4"`` → [4]."""
    ks: list[int] = []
    for part in text.split(","):
        part = part.strip()
        match = re.fullmatch(r"(\d+)\s*-\s*(\d+)", part)
        if match:
            lo, hi = int(match[1]), int(match[2])
            if lo > hi:
                raise click.BadParameter(f"range {part} runs backwards", param_hint="--profiles")
            ks.extend(range(lo, hi + 1))
        elif part.isdigit():
            ks.append(int(part))
        else:
            raise click.BadParameter(
                f"{text!r} is not a range like 1-8, a list like 2,3,5 or a number",
                param_hint="--profiles",
            )
    if not ks or min(ks) < 1:
        raise click.BadParameter("numbers of profiles start at 1", param_hint="--profiles")
    return sorted(set(ks))


def read_indicators(path: Path, columns: str | None) -> Indicators:
    """Read the indicator matrix; bad input raises ``click.UsageError`` (exit code 2)."""
    raw = _read_csv(path)
    header = list(raw.headers)
    numeric: dict[str, np.ndarray[Any, np.dtype[np.float64]]] = {}
    why_not: dict[str, str] = {}  # non-numeric columns: the first offending cell
    for j, name in enumerate(header):
        values, errors = number_column(raw.columns[j], raw.decimal, missing=MISSING_TOKENS)
        if errors:
            first = min(errors)
            cell = _cell(raw, j, first)
            why_not[name] = f"line {raw.row_numbers[first]} holds {str(cell).strip()!r}"
        else:
            numeric[name] = values
    notes: list[str] = []
    if columns is not None:
        wanted = [c.strip() for c in columns.split(",") if c.strip()]
        if not wanted:
            raise click.UsageError("--columns is empty; name one or more columns")
        for name in wanted:
            if name in why_not:
                raise click.UsageError(f"column {name!r} is not numeric: {why_not[name]}")
            if name not in numeric:
                raise click.UsageError(
                    f"column {name!r} is not in {path.name}; its columns are: {', '.join(header)}"
                )
    else:
        wanted = [
            name
            for name in header
            if name in numeric and name.lower() != "id" and not name.lower().endswith("_id")
        ]
        empty = [name for name in wanted if np.isnan(numeric[name]).all()]
        if empty:
            notes.append(f"left out column(s) without values: {', '.join(empty)}")
            wanted = [name for name in wanted if name not in empty]
        if not wanted:
            raise click.UsageError(
                f"{path.name} has no numeric columns to analyse (columns: {', '.join(header)}); "
                "name them with --columns"
            )
    matrix = np.column_stack([numeric[name] for name in wanted]).astype(np.float64)
    for j, name in enumerate(wanted):
        col = matrix[:, j]
        seen = col[~np.isnan(col)]
        if seen.size == 0:
            raise click.UsageError(f"column {name!r} has no values")
        if np.all(seen == seen[0]):
            raise click.UsageError(
                f"column {name!r} has the same value in every row; leave it out with --columns"
            )
    empty_rows = np.isnan(matrix).all(axis=1)
    if empty_rows.any():
        notes.append(
            f"left out {int(empty_rows.sum())} row(s) without values in the selected columns"
        )
        matrix = matrix[~empty_rows]
    if matrix.shape[0] == 0:
        raise click.UsageError(f"{path.name} has no rows with values in the selected columns")
    return Indicators(values=matrix, columns=wanted, notes=notes)


def _read_csv(path: Path) -> RawTable:
    """The table as the HR importer reads it (``koers.hrfile``): encoding, separator,
    title lines above the header, quoted cells, decimal commas; blank rows skipped."""
    try:
        raw = read_table(path, columns=())
    except HRFileError as error:
        details = "; ".join(p.message for p in error.problems)
        if "empty" in details:
            raise click.UsageError(f"{path.name} is empty") from None
        raise click.UsageError(f"{path.name}: {details}") from None
    header = list(raw.headers)
    unnamed = [str(j + 1) for j, h in enumerate(header) if not h]
    if unnamed:
        raise click.UsageError(
            f"{path.name}: header column(s) {', '.join(unnamed)} have no name; "
            "give every column a name in the first line"
        )
    duplicated = sorted({h for h in header if header.count(h) > 1})
    if duplicated:
        raise click.UsageError(f"{path.name} has duplicate column names: {', '.join(duplicated)}")
    for problem in raw.problems:
        raise click.UsageError(f"{path.name} line {problem.row} {problem.message}")
    return raw


def _cell(raw: RawTable, column: int, position: int) -> object:
    cells = raw.columns[column]
    if isinstance(cells, list):
        return cells[position]
    return cells[position].as_py()


class _Progress:
    """A click progress bar on stderr, created once the total is known."""

    def __init__(self, *, enabled: bool) -> None:
        self.enabled = enabled
        self.bar: Any = None
        self.done = 0

    def update(self, done: int, total: int) -> None:
        if not self.enabled:
            return
        if self.bar is None:
            self.bar = click.progressbar(length=total, label="Fitting", file=sys.stderr)
            self.bar.__enter__()
        self.bar.update(done - self.done)
        self.done = done

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


def format_table(result: ProfileEstimates, columns: list[str], min_share: float) -> str:
    """The human-readable report of ``koers lpa`` (without ``--json``)."""
    spec = MODELS[result.model]
    name = f"{spec.mclust}: " if spec.mclust else ""
    lines = [
        f"Model {result.model} ({name}{spec.description}), "
        f"{result.n_rows} rows, {result.n_columns} columns: {', '.join(columns)}",
        "",
        f"{'K':>3} {'LL':>12} {'par':>5} {'AIC':>12} {'BIC':>12} {'SABIC':>12} {'CAIC':>12} "
        f"{'entropy':>8} {'smallest':>9} {'BLRT p':>7}",
    ]
    for fit in result.fits:
        mark = "*" if fit.n_profiles == result.selected_n_profiles else " "
        lines.append(
            f"{mark}{fit.n_profiles:>2} {_num(fit.log_likelihood, 2, 12)} {fit.n_parameters:>5} "
            f"{_num(fit.aic, 2, 12)} {_num(fit.bic, 2, 12)} {_num(fit.sabic, 2, 12)} "
            f"{_num(fit.caic, 2, 12)} {_num(fit.entropy, 3, 8)} "
            f"{_num(fit.smallest_share, 3, 9)} {_num(fit.blrt_p, 3, 7)}"
        )
    lines.append("")
    if result.selected_n_profiles is not None:
        lines.append(
            f"Selected: {result.selected_n_profiles} profiles (* lowest BIC among solutions "
            f"whose smallest profile holds at least {min_share:.0%} and no collapsed variance)"
        )
    else:
        lines.append("Selected: none (see the message below)")
    notes = _warnings(result.fits)
    if notes:
        lines += ["", "Warnings:", *notes]
    return "\n".join(lines)


def _warnings(fits: tuple[ProfileFit, ...]) -> list[str]:
    return [f"  K={fit.n_profiles}: {w}" for fit in fits for w in fit.warnings]


def _num(value: float | None, digits: int, width: int) -> str:
    if value is None or not math.isfinite(value):
        return f"{'-':>{width}}"
    return f"{value:>{width}.{digits}f}"
