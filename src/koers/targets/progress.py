"""Progress towards one target and what it would take; pure, no Django.

:func:`assess` turns a target (its share, year and, for boards, seats) and the population's
inputs (:mod:`koers.targets.inputs`) into the figures the targets page shows and a verdict
code the template puts in plain words. Who sees the figures follows DESIGN.md's privacy
table through the one :class:`~koers.stats.disclosure.Discloser`: for viewers outside HR a
population with a gender cell under k shows the target but none of its figures, because the
share, rates and "what it would take" would reveal the counts.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from koers.stats.disclosure import Discloser
from koers.targets.charts import projection_chart, scenario_lines
from koers.targets.inputs import PopulationInputs
from koers.targets.projection import (
    Population,
    ProjectionError,
    Seat,
    SeatPlan,
    TargetPath,
    compute_target_path,
    plan_seats,
)

# Verdict codes (templates/targets/_verdict.html words them):
NO_DATA = "no_data"  # no Gender Scan yet
HIDDEN = "hidden"  # a group under k for this viewer
EMPTY = "empty"  # nobody in the population
MET = "met"  # the target year has come and the target is met
MISSED = "missed"  # the target year has come and it is not
ON_TRACK = "on_track"  # at the current share of women among the hires it is reached in time
NEEDS = "needs"  # reachable, with more women among the hires than now
NOT_REACHABLE = "not_reachable"  # even if every hire were a woman
SEATS_MET = "seats_met"
SEATS_NEEDED = "seats_needed"  # enough seats come free; some must go to women
SEATS_SHORT = "seats_short"  # too few seats come free before the target year ends
SEATS_UNKNOWN_TERMS = "seats_unknown_terms"  # women are needed; term end dates not given
FLOW_MET = "flow_met"
FLOW_SHORT = "flow_short"


@dataclass(frozen=True)
class Assessment:
    """What the targets page shows for one target."""

    verdict: str
    target_share: float
    target_year: int
    inputs: PopulationInputs | None = None  # None when hidden or without data
    years_left: int | None = None
    path: TargetPath | None = None
    seats: SeatPlan | None = None
    women_needed_per_year: int | None = None  # inflow / promotion targets
    women_now_per_year: float | None = None  # at the current share of the hires
    chart: dict[str, Any] | None = None  # koers.targets.charts.projection_chart

    @property
    def actual_share(self) -> float | None:
        return None if self.inputs is None else self.inputs.share

    @property
    def progress(self) -> float | None:
        """The actual share as a fraction of the target, capped at 1 (for a progress bar)."""
        if self.actual_share is None:
            return None
        return min(1.0, self.actual_share / self.target_share)


def _hidden(inputs: PopulationInputs, discloser: Discloser) -> bool:
    counts = {"female": inputs.women, "male": inputs.men, "other": inputs.other}
    return None in discloser.counts(counts).values()


def _board(
    inputs: PopulationInputs | None,
    target_share: float,
    target_year: int,
    seats: Sequence[Seat],
) -> Assessment:
    given_terms = bool(seats)
    if not seats and inputs is not None:
        # Holders from the scan, terms unknown: nothing is known to come free.
        seats = [Seat("F")] * inputs.women + [Seat("M")] * inputs.men + [Seat("X")] * inputs.other
    if not seats:
        return Assessment(EMPTY, target_share, target_year, inputs)
    plan = plan_seats(seats, target_year, target_share)
    if plan.n_women >= plan.women_required:
        verdict = SEATS_MET
    elif not given_terms:
        verdict = SEATS_UNKNOWN_TERMS
    else:
        verdict = SEATS_NEEDED if plan.reachable else SEATS_SHORT
    return Assessment(verdict, target_share, target_year, inputs, seats=plan)


def assess(
    *,
    population: str,
    target_share: float,
    target_year: int,
    inputs: PopulationInputs | None,
    discloser: Discloser,
    seats: Sequence[Seat] = (),
) -> Assessment:
    """The progress and the verdict of one target (``target_share`` a fraction).

    The horizon is ``target_year − reference year`` whole years (a target for 2028 seen
    from a scan dated in 2026 has two yearly steps); from the target year on, the verdict is
    met or missed on the actual share.
    """
    if inputs is not None and _hidden(inputs, discloser):
        return Assessment(HIDDEN, target_share, target_year)
    if population in ("board", "supervisory_board"):
        return _board(inputs, target_share, target_year, seats)
    if inputs is None:
        return Assessment(NO_DATA, target_share, target_year)
    years_left = target_year - inputs.reference_date.year
    if inputs.is_flow:
        hires = inputs.hires_per_year
        # 1e-9: 0.3 × 10 must stay 3 women, not 4 by floating-point noise.
        needed = math.ceil(target_share * hires - 1e-9)
        share = inputs.share
        return Assessment(
            FLOW_MET if share is not None and share >= target_share else FLOW_SHORT,
            target_share,
            target_year,
            inputs,
            years_left=years_left,
            women_needed_per_year=needed,
            women_now_per_year=(
                None if inputs.women_share_of_hires is None else inputs.women_share_of_hires * hires
            ),
        )
    if inputs.women + inputs.men == 0:
        return Assessment(EMPTY, target_share, target_year, inputs, years_left=years_left)
    share = inputs.share
    assert share is not None
    if years_left <= 0:
        verdict = MET if share >= target_share else MISSED
        return Assessment(verdict, target_share, target_year, inputs, years_left=years_left)
    assert inputs.outflow_women is not None
    assert inputs.outflow_men is not None
    try:
        path = compute_target_path(
            Population(
                inputs.women,
                inputs.men,
                inputs.outflow_women,
                inputs.outflow_men,
                inputs.hires_per_year,
            ),
            target_share,
            years_left,
            inputs.women_share_of_hires,
        )
    except ProjectionError:  # the model's validators keep the target in range
        return Assessment(NO_DATA, target_share, target_year, inputs, years_left=years_left)
    if path.status_quo_share_at_end is not None and path.status_quo_share_at_end >= target_share:
        verdict = ON_TRACK
    elif path.reachable:
        verdict = NEEDS
    else:
        verdict = NOT_REACHABLE
    return Assessment(
        verdict,
        target_share,
        target_year,
        inputs,
        years_left=years_left,
        path=path,
        chart=projection_chart(
            scenario_lines(path), target=target_share, first_year=inputs.reference_date.year
        ),
        women_now_per_year=(
            None
            if inputs.women_share_of_hires is None
            else inputs.women_share_of_hires * inputs.hires_per_year
        ),
    )
