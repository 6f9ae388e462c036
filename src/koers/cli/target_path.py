"""``koers target-path``: what it would take to reach a target share of women.

A contract (docs/cli-target-path.md, issue 16): exit 0 with the figures on stdout; a bad
argument exits 2 with ONE line on stderr naming the argument and why, nothing on stdout.
The arithmetic is :mod:`koers.targets.projection` (``shared/spec/targets.md``).
"""

from __future__ import annotations

import json
import math
import sys
from decimal import ROUND_HALF_UP, Decimal
from typing import IO, Any

import click

from koers.cli import main
from koers.targets.projection import Population, TargetPath, compute_target_path

# Not imported from koers.cli.paygap (as koers funnel does): that module pulls in pandas,
# scipy and the pay-gap statistics: the command took 4.3 s with it and 0.2 s without
# (measured with `time` and python -X importtime); the projection needs none of them.
EXIT_INVALID = 2
JSON_OPTION = click.option(
    "--json", "as_json", is_flag=True, help="Print the figures as JSON (full precision)."
)


def echo_json(data: dict[str, Any]) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False))


def round_half_away(value: float, places: int) -> str:
    """Round for display, half away from zero, as ``koers paygap`` does."""
    rounded = Decimal(repr(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return str(rounded.copy_abs() if rounded.is_zero() else rounded)


# A target lies years, not centuries, ahead; the cap keeps a typo from running for minutes.
MAX_YEARS = 100


class OneLineUsageError(click.UsageError):
    """A usage error printed as one line, without click's usage block (the contract)."""

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(f"Error: {self.format_message()}", err=True)


class OneLineCommand(click.Command):
    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except OneLineUsageError:
            raise
        except click.UsageError as error:
            raise OneLineUsageError(error.format_message(), ctx) from None


def _count(ctx: click.Context, param: click.Parameter, value: float | None) -> float | None:
    if value is not None and not (math.isfinite(value) and value >= 0):
        raise click.BadParameter(f"{value:g} people is not possible; give a number of 0 or more")
    return value


def _rate(ctx: click.Context, param: click.Parameter, value: float | None) -> float | None:
    if value is not None and not 0 <= value <= 1:
        raise click.BadParameter(
            f"{value:g} is not a yearly rate between 0 and 1; write 12 % as 0.12"
        )
    return value


def _share(ctx: click.Context, param: click.Parameter, value: float | None) -> float | None:
    if value is not None and not 0 < value <= 1:
        raise click.BadParameter(
            f"{value:g} is not a share above 0 and at most 1; write 25 % as 0.25"
        )
    return value


def _hire_share(ctx: click.Context, param: click.Parameter, value: float | None) -> float | None:
    if value is not None and not 0 <= value <= 1:
        raise click.BadParameter(f"{value:g} is not a share between 0 and 1; write 15 % as 0.15")
    return value


def _at_least(minimum: int, maximum: int | None = None) -> Any:
    def check(ctx: click.Context, param: click.Parameter, value: int | None) -> int | None:
        if value is not None and value < minimum:
            raise click.BadParameter(f"{value} is less than {minimum}")
        if value is not None and maximum is not None and value > maximum:
            raise click.BadParameter(f"{value} is more than {maximum}")
        return value

    return check


def frac(value: float | None) -> str:
    """A share as a percentage with two decimals (the spec's worked example: 26.14 %)."""
    return "—" if value is None else f"{round_half_away(value * 100, 2)} %"


def _number(value: float) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".")


def render_target_path(path: TargetPath) -> str:
    pop, years, hires = path.population, path.years, path.population.hires
    lines = [
        f"Population: {_number(pop.women)} women, {_number(pop.men)} men "
        f"({frac(pop.share)} women); yearly outflow women {frac(pop.outflow_women)}, "
        f"men {frac(pop.outflow_men)}; {hires} hires a year.",
        f"Target: {frac(path.target)} women after {years} year{'s' if years != 1 else ''}"
        + (" (met now)." if path.met_now else "."),
        "",
    ]
    if path.reachable and path.end is not None and path.women_per_year is not None:
        x = path.women_per_year
        lines.append(
            f"What it would take: {x} of {hires} hires a year women"
            + (f" ({frac(x / hires)})" if hires else "")
            + f"; share after {years} years {frac(path.share_at_end)} "
            f"(women {path.end.women:.3f}, men {path.end.men:.3f})."
        )
        if path.share_short_by_one is not None:
            lines.append(f"With {x - 1} of {hires}: {frac(path.share_short_by_one)}, not enough.")
    else:
        lines.append(
            f"Not reachable with these hires: even {hires} of {hires} women gives "
            f"{frac(path.share_all_women)} after {years} years."
        )
        if path.reachable_in_year is not None:
            lines.append(f"Hiring only women reaches the target in year {path.reachable_in_year}.")
        else:
            lines.append("Hiring only women does not reach the target within 50 years.")
        if path.outflow_women_to_reach is not None:
            lines.append(
                f"It would be reachable in {years} years if at most "
                f"{frac(path.outflow_women_to_reach)} of the women left each year "
                f"(now {frac(pop.outflow_women)})."
            )
        else:
            lines.append("Even if no woman left, these hires would not reach it in time.")
    if path.current_hire_share is not None and path.status_quo_share_at_end is not None:
        trend = (
            "the share falls"
            if path.status_quo_share_at_end < pop.share
            else "the share rises"
            if path.status_quo_share_at_end > pop.share
            else "the share stays"
        )
        lines.append(
            f"Status quo (women {frac(path.current_hire_share)} of hires, "
            f"{_number(path.current_hire_share * hires)} a year): "
            f"{frac(path.status_quo_share_at_end)} after {years} years; {trend}."
        )
    else:
        lines.append("Status quo: give --current-hire-share to see it.")
    equal = path.women_per_year_equal_retention
    lines.append(
        f"Equal retention (women leave at {frac(pop.outflow_men)}): "
        + (
            f"{equal} of {hires} (share {frac(path.share_at_end_equal_retention)})."
            if equal is not None
            else "not reachable with these hires either."
        )
    )
    lines += [
        "",
        "Expected values, yearly steps: W ← W − W·q_w + x, M ← M − M·q_m + (H − x).",
    ]
    return "\n".join(lines)


@main.command("target-path", cls=OneLineCommand)
@click.option(
    "--women",
    required=True,
    type=float,
    callback=_count,
    metavar="W",
    help="Women in the population at the start.",
)
@click.option(
    "--men",
    required=True,
    type=float,
    callback=_count,
    metavar="M",
    help="Men in the population at the start.",
)
@click.option(
    "--outflow-women",
    required=True,
    type=float,
    callback=_rate,
    metavar="QW",
    help="Yearly outflow rate of women (0.12 for 12 %).",
)
@click.option(
    "--outflow-men",
    required=True,
    type=float,
    callback=_rate,
    metavar="QM",
    help="Yearly outflow rate of men.",
)
@click.option(
    "--hires",
    required=True,
    type=int,
    callback=_at_least(0),
    metavar="H",
    help="Hires per year into the population (whole number).",
)
@click.option(
    "--target",
    required=True,
    type=float,
    callback=_share,
    metavar="SHARE",
    help="Target share of women (0.25 for 25 %).",
)
@click.option(
    "--years",
    required=True,
    type=int,
    callback=_at_least(1, MAX_YEARS),
    metavar="Y",
    help="Years to reach the target (1 to 100).",
)
@click.option(
    "--current-hire-share",
    type=float,
    callback=_hire_share,
    metavar="S",
    help="Women's share of the hires now, for the status quo (0.15 for 15 %).",
)
@JSON_OPTION
def target_path(
    women: float,
    men: float,
    outflow_women: float,
    outflow_men: float,
    hires: int,
    target: float,
    years: int,
    current_hire_share: float | None,
    as_json: bool,
) -> None:
    """How many of the yearly hires must be women to reach a target share in time, with
    the status quo and the figure under equal retention (spec/targets.md).

    Exit status: 0 done, 2 a bad argument (one line on stderr).
    """
    if women + men == 0:
        click.echo(
            "Error: Invalid value for '--women' and '--men': both are 0, so the share of "
            "women is undefined; give the headcount at the start",
            err=True,
        )
        sys.exit(EXIT_INVALID)
    population = Population(women, men, outflow_women, outflow_men, hires)
    result = compute_target_path(population, target, years, current_hire_share)
    if as_json:
        echo_json(result.to_dict())
    else:
        click.echo(render_target_path(result))
