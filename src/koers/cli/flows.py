"""``koers flows INPUT --from DATE --to DATE``: hires, leavers and promotions by gender.

A contract (docs/cli-paygap.md), with the same input handling and exit codes as
``koers paygap``. Problems in the ``--events`` file are prefixed with its name.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from koers.cli import main
from koers.cli.paygap import (
    EXIT_INVALID,
    INPUT_ARGUMENT,
    JSON_OPTION,
    SKIP_OPTION,
    date_option,
    echo_json,
    echo_problems,
    fail,
    frac,
    load_checked,
)
from koers.hrfile import HRFileError, check_for_flows, read_events
from koers.hrfile.events import unknown_employees
from koers.stats.flows import FlowsResult, compute_flows


def render_flows(result: FlowsResult) -> str:
    """The readable table printed without ``--json``."""
    genders = ("female", "male", "other")
    header = f"{'':<22}{'women':>10}{'men':>10}{'other':>10}"
    lines = [
        f"Flows from {result.start.isoformat()} to {result.end.isoformat()} "
        "(staff; supervisory board excluded)",
        "",
        header,
    ]
    rows: list[tuple[str, str, Callable[[Any], str]]] = [
        ("Headcount at start", "headcount_start", str),
        ("Headcount at end", "headcount_end", str),
        ("Hires", "hires", str),
        ("Leavers", "leavers", str),
        ("Promotions", "promotions", str),
        ("Outflow rate", "outflow_rate", frac),
        ("Promotion rate", "promotion_rate", frac),
    ]
    for label, attr, fmt in rows:
        cells = []
        for g in genders:
            value = getattr(result.by_gender[g], attr)
            cells.append("—" if value is None else fmt(value))
        lines.append(f"{label:<22}" + "".join(f"{c:>10}" for c in cells))
    lines += [
        "",
        f"Share of women among hires: {frac(result.female_share_of_hires)}; "
        f"among promotions: {frac(result.female_share_of_promotions)}",
        "",
        f"Job levels on {result.end.isoformat()}",
        f"{'job level':<22}{'women':>10}{'men':>10}{'other':>10}{'women %':>10}",
    ]
    for level in result.levels:
        lines.append(
            f"{level.job_level[:21]:<22}{level.n_female:>10}{level.n_male:>10}"
            f"{level.n_other:>10}{frac(level.female_share):>10}"
        )
    return "\n".join(lines)


@main.command("flows")
@INPUT_ARGUMENT
@date_option("--from", "start", help="First day of the period.")
@date_option("--to", "end", help="Last day of the period.")
@click.option(
    "--events",
    "events_file",
    type=click.Path(exists=True, dir_okay=False, readable=True, path_type=Path),
    help="Events file (employee_id, event, date, ...): promotions are counted from it.",
)
@JSON_OPTION
@SKIP_OPTION
def flows(
    input_file: Path,
    start: dt.date,
    end: dt.date,
    events_file: Path | None,
    as_json: bool,
    skip_invalid: bool,
) -> None:
    """Headcount, hires, leavers, promotions and rates by gender, and women per job level.

    INPUT is a CSV (plain or Dutch Excel) or .xlsx file with canonical or Dutch
    column names. Exit status: 0 done, 2 invalid input (problems on stderr).
    """
    if start > end:
        raise click.BadParameter("--from must not be after --to", param_hint="--from")
    checked = load_checked(input_file, lambda t: check_for_flows(t, start, end), skip_invalid)
    events = None
    if events_file is not None:
        prefix = f"{events_file.name}: "
        try:
            table = read_events(events_file)
        except HRFileError as error:
            fail(error.problems, prefix)
        ids = checked.employees["employee_id"].astype(str)
        problems = [*table.problems, *unknown_employees(table.events, ids, start, end)]
        echo_problems(problems, prefix)
        if not table.usable or (problems and not skip_invalid):
            if table.usable:
                click.echo(
                    f"{len(problems)} problem(s) in {events_file.name}; nothing was computed. "
                    "Fix the file, or use --skip-invalid to use only the valid rows.",
                    err=True,
                )
            sys.exit(EXIT_INVALID)
        events = table.events
    result = compute_flows(checked.employees, start, end, events=events)
    if as_json:
        echo_json(result.to_dict())
    else:
        click.echo(render_flows(result))
