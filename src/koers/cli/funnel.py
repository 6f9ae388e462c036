"""``koers funnel FILE [--stages a,b,c,…] [--json]``: the selection funnel by gender.

A contract (docs/cli-funnel.md): exit 0 with the figures on stdout; exit 2 with every
problem of the file on stderr (by row and column) and nothing on stdout.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from koers.cli import main
from koers.cli.paygap import EXIT_INVALID, INPUT_ARGUMENT, JSON_OPTION, echo_json, fail, frac
from koers.hrfile import HRFileError
from koers.hrfile.applicants import read_applicants
from koers.hrfile.problems import Problem
from koers.stats.funnel import DEFAULT_STAGES, Funnel, Transition, compute_funnel

LABEL_WORDS = {
    "too_little_data": "too little data",
    "signal": "signal",
    "watch": "watch",
    "no_signal": "no signal",
}


def parse_stages(
    ctx: click.Context | None, param: click.Parameter | None, value: str | None
) -> tuple[str, ...]:
    if value is None:
        return DEFAULT_STAGES
    stages = tuple(s.strip() for s in value.split(","))
    if len(stages) < 2 or any(not s for s in stages):
        raise click.BadParameter("give at least two stage names separated by commas")
    lowered = [s.lower() for s in stages]
    if len(set(lowered)) != len(lowered):
        raise click.BadParameter("a stage is named twice")
    return stages


def _fmt(value: float | None, digits: int = 2) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def _line(t: Transition) -> str:
    ci = "—" if t.ci_low is None else f"{t.ci_low:.2f}–{t.ci_high:.2f}"
    note = ""
    if t.label in ("signal", "watch") and t.one_more_reaches:
        note = "  (one more woman passing lifts the ratio to 0.8)"
    elif t.label in ("signal", "watch") and t.two_more_reach:
        note = "  (two more women passing lift the ratio to 0.8)"
    other = f"  other/unknown {t.other.passed}/{t.other.n}" if t.other.n else ""
    return (
        f"{t.start + ' → ' + t.end:<28}"
        f"women {t.female.passed:>5}/{t.female.n:<5} {frac(t.female.rate):>7}   "
        f"men {t.male.passed:>5}/{t.male.n:<5} {frac(t.male.rate):>7}   "
        f"IR {_fmt(t.impact_ratio)} [{ci}]  p {_fmt(t.p_fisher, 3)}  "
        f"shortfall {t.shortfall if t.shortfall is not None else '—'}  "
        f"{LABEL_WORDS[t.label]}{note}{other}"
    )


def render_funnel(result: Funnel) -> str:
    lines = [f"Selection funnel: {' → '.join(result.stages)}", ""]
    lines += [_line(t) for t in result.transitions]
    lines += ["", "Overall", _line(result.overall)]
    for family, transitions in result.by_job_family.items():
        lines += ["", f"Job family {family}", *(_line(t) for t in transitions)]
    lines += [
        "",
        "IR: women's rate / men's rate, 95 % interval (Katz log); p: Fisher's exact, two-sided.",
        "signal: IR < 0.8 and p < 0.05; watch: one of the two; too little data: "
        "fewer than 5 women or 5 men at the stage.",
    ]
    return "\n".join(lines)


@main.command("funnel")
@INPUT_ARGUMENT
@click.option(
    "--stages",
    callback=parse_stages,
    help="The stages in order, comma-separated (default: applied,screened,interviewed,"
    "offered,hired; the Dutch names gesolliciteerd, geselecteerd, gesprek, aanbod, "
    "aangenomen are read as these).",
)
@JSON_OPTION
def funnel(input_file: Path, stages: tuple[str, ...], as_json: bool) -> None:
    """Pass rates of women and men at every stage of selection, the impact ratio with its
    interval, Fisher's exact test, the shortfall and a label.

    INPUT is a CSV (plain or Dutch Excel) or .xlsx file with one row per candidate:
    candidate_id, job_family, gender, application_date and stage (the furthest stage
    reached). Exit status: 0 done, 2 invalid input (problems on stderr).
    """
    try:
        table = read_applicants(input_file, stages=stages)
    except HRFileError as error:
        fail(error.problems)
    if table.problems or not table.usable:
        click.echo(
            "\n".join(str(p) for p in table.problems)
            + f"\n{len(table.problems)} problem(s); nothing was computed. Fix the file.",
            err=True,
        )
        sys.exit(EXIT_INVALID)
    frame = table.applicants
    if frame.empty:
        fail([Problem(None, None, "the file holds no candidates below its header")])
    families = frame["job_family"].tolist() if frame["job_family"].notna().any() else None
    result = compute_funnel(
        stages, frame["gender"].tolist(), frame["stage_index"].astype(int).tolist(), families
    )
    if as_json:
        echo_json(result.to_dict())
    else:
        click.echo(render_funnel(result))
