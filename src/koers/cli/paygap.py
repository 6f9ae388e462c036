"""``koers paygap INPUT --on DATE``: EU pay-transparency indicators from an HR file.

A contract (docs/cli-paygap.md): exit 0 with the figures on stdout; exit 2 with
every problem on stderr as ``row N, column C: what is wrong`` and nothing on
stdout. ``--skip-invalid`` uses the valid rows and still lists the problems.
The shared input handling here is used by ``koers flows`` too.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from collections.abc import Callable, Iterable
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click

from koers.cli import main
from koers.hrfile import (
    CheckedEmployees,
    EmployeeTable,
    HRFileError,
    Problem,
    parse_employees,
    read_table,
)
from koers.stats.paygap import PayGapResult, compute_pay_gap

EXIT_INVALID = 2


def parse_iso_date(
    ctx: click.Context | None, param: click.Parameter | None, value: str | None
) -> dt.date | None:
    """Click callback: a ``YYYY-MM-DD`` option value as a date."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date in the form YYYY-MM-DD") from None


F = TypeVar("F", bound=Callable[..., Any])


def date_option(*param_decls: str, help: str) -> Callable[[F], F]:
    """A required ``YYYY-MM-DD`` option."""
    return click.option(
        *param_decls, required=True, metavar="YYYY-MM-DD", callback=parse_iso_date, help=help
    )


INPUT_ARGUMENT = click.argument(
    "input_file",
    metavar="INPUT",
    type=click.Path(exists=True, dir_okay=False, readable=True, path_type=Path),
)
JSON_OPTION = click.option(
    "--json", "as_json", is_flag=True, help="Print the figures as JSON (full precision)."
)
SKIP_OPTION = click.option(
    "--skip-invalid",
    is_flag=True,
    help="Use only the valid rows (the problems are still listed on stderr).",
)


def echo_problems(problems: Iterable[Problem], prefix: str = "") -> None:
    for problem in problems:
        click.echo(f"{prefix}{problem}", err=True)


def fail(problems: Iterable[Problem], prefix: str = "") -> NoReturn:
    echo_problems(problems, prefix)
    sys.exit(EXIT_INVALID)


def load_checked(
    path: Path, check: Callable[[EmployeeTable], CheckedEmployees], skip_invalid: bool
) -> CheckedEmployees:
    """Read, parse and check ``path``; print problems; exit 2 when the rows cannot be used."""
    try:
        table = parse_employees(read_table(path))
    except HRFileError as error:
        fail(error.problems)
    checked = check(table)
    echo_problems(checked.problems)
    if not checked.usable:
        sys.exit(EXIT_INVALID)
    if checked.problems:
        n_bad = len(checked.invalid_rows)
        if not skip_invalid:
            click.echo(
                f"{len(checked.problems)} problem(s) in {n_bad} row(s); nothing was computed. "
                "Fix the file, or use --skip-invalid to use only the valid rows.",
                err=True,
            )
            sys.exit(EXIT_INVALID)
        click.echo(
            f"--skip-invalid: left out {n_bad} of {checked.n_rows} row(s) with problems.",
            err=True,
        )
    return checked


def echo_json(data: dict[str, Any]) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False))


def round_half_away(value: float, places: int = 1) -> str:
    """Round for display: one decimal, half away from zero (spec/paygap.md)."""
    quantum = Decimal(1).scaleb(-places)
    # repr() is the shortest decimal that reads back as the float: 2.675 rounds to 2.7.
    rounded = Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_UP)
    return str(rounded.copy_abs() if rounded.is_zero() else rounded)  # no "-0.0"


def pct(value: float | None) -> str:
    return "—" if value is None else f"{round_half_away(value)} %"


def frac(value: float | None) -> str:
    return "—" if value is None else f"{round_half_away(value * 100)} %"


def natural_key(text: str) -> list[tuple[int, int | str]]:
    """Sort "Monteur / 5" before "Monteur / 10"."""
    return [(0, int(part)) if part.isdigit() else (1, part) for part in re.split(r"(\d+)", text)]


def render_paygap(result: PayGapResult) -> str:
    """The readable table printed without ``--json`` (labels as in docs/cli-paygap.md)."""
    counts = result.counts
    v = result.variable
    n_f, n_m = counts["female"], counts["male"]
    lines = [
        f"Pay gap on {result.reference_date.isoformat()}: {sum(counts.values())} employees "
        f"in service ({n_f} women, {n_m} men, {counts['other']} other)",
        "Gap = (men - women) / men x 100; positive: men earn more. Hourly pay unless stated.",
        'Gender "other" is counted but left out of the comparisons and quartile bands.',
        "",
        f"{'Indicator (Directive 2023/970 Art. 9)':<46}{'gap':>10}{'women':>8}{'men':>8}",
        f"{'(a) mean gap, hourly total pay':<46}{pct(result.mean_gap_pct):>10}{n_f:>8}{n_m:>8}",
        f"{'(c) median gap, hourly total pay':<46}{pct(result.median_gap_pct):>10}{n_f:>8}{n_m:>8}",
        f"{'(b) mean gap, variable pay (receivers)':<46}{pct(v.mean_gap_pct):>10}"
        f"{v.n_receiving_female:>8}{v.n_receiving_male:>8}",
        f"{'(d) median gap, variable pay (receivers)':<46}{pct(v.median_gap_pct):>10}"
        f"{v.n_receiving_female:>8}{v.n_receiving_male:>8}",
        f"{'(e) share receiving variable pay':<46}{'':>10}"
        f"{frac(v.share_receiving_female):>8}{frac(v.share_receiving_male):>8}",
    ]
    adjusted = result.adjusted
    if adjusted is None:
        lines.append(f"{'Adjusted gap':<46}{'—':>10}")
    else:
        lines.append(
            f"{'Adjusted gap':<46}{pct(adjusted.gap_pct):>10}{adjusted.n_female:>8}"
            f"{adjusted.n_male:>8}  95% CI {pct(adjusted.ci_low_pct)} to "
            f"{pct(adjusted.ci_high_pct)}; controls: job level, age, tenure, hours, education"
        )
    if result.oaxaca is not None:
        o = result.oaxaca
        lines.append(
            f"Oaxaca-Blinder (log points): total {o.total:.4f} = explained {o.explained:.4f} "
            f"+ unexplained {o.unexplained:.4f}"
        )
    lines += [
        "",
        "(f) Quartile pay bands, band 1 lowest paid",
        f"{'band':<6}{'n':>6}{'women':>10}{'men':>10}",
    ]
    for band in result.quartiles:
        lines.append(
            f"{band.band:<6}{band.n:>6}{frac(band.female_share):>10}{frac(band.male_share):>10}"
        )
    lines += [
        "",
        "(g) Categories of workers; Art. 10 flag at a mean gap of 5 % or more either way",
        f"{'category':<34}{'women':>6}{'men':>6}{'mean':>9}{'median':>9}{'base':>9}"
        f"{'variable':>10}  Art. 10",
    ]
    for c in sorted(
        result.categories, key=lambda c: (not c.exceeds_threshold, natural_key(c.category))
    ):
        flag = ""
        if c.exceeds_threshold:
            flag = "flag (indicative: < 5 women or men)" if c.indicative else "flag"
        lines.append(
            f"{c.category[:33]:<34}{c.n_female:>6}{c.n_male:>6}{pct(c.mean_gap_pct):>9}"
            f"{pct(c.median_gap_pct):>9}{pct(c.base_mean_gap_pct):>9}"
            f"{pct(c.variable_mean_gap_pct):>10}  {flag}".rstrip()
        )
    return "\n".join(lines)


@main.command("paygap")
@INPUT_ARGUMENT
@date_option("--on", "on", help="Reference date: employees in service on it.")
@JSON_OPTION
@SKIP_OPTION
def paygap(input_file: Path, on: dt.date, as_json: bool, skip_invalid: bool) -> None:
    """Pay-gap indicators (EU 2023/970 Art. 9 and 10) and the adjusted gap of an HR file.

    INPUT is a CSV (plain or Dutch Excel) or .xlsx file with canonical or Dutch
    column names. Exit status: 0 done, 2 invalid input (problems on stderr).
    """
    from koers.hrfile import check_for_paygap

    checked = load_checked(input_file, lambda t: check_for_paygap(t, on), skip_invalid)
    result = compute_pay_gap(checked.employees, on)
    if as_json:
        echo_json(result.to_dict())
    else:
        click.echo(render_paygap(result))
