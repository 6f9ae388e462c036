"""The arithmetic of "what it would take" (``shared/spec/targets.md``); pure, no Django.

For one population with ``W`` women and ``M`` men at the start of year 0, yearly outflow
rates ``q_w`` and ``q_m``, ``H`` hires a year of whom ``x`` are women, every year::

    W ← W − W·q_w + x          M ← M − M·q_m + (H − x)

and after ``Y`` years the share of women is ``W_Y / (W_Y + M_Y)``. Expected values, no
randomness, so every figure can be checked by hand (the worked example of the spec is in
``tests/targets/test_projection.py``).

* **what it would take**: the smallest whole ``x`` in ``0..H`` whose share after ``Y``
  years reaches the target. The share after ``Y`` years rises with ``x`` (each woman hired
  instead of a man adds to ``W_Y`` and takes the same from ``M_Y``, the total stays), so
  the smallest ``x`` is found by bisection.
* **not reachable**: even ``x = H`` falls short; then :func:`reachable_in_year` gives the
  first year in which ``x = H`` would reach it (within :data:`HORIZON_YEARS`), and
  :func:`outflow_women_to_reach` the highest outflow rate of women at which ``x = H``
  reaches it in ``Y`` years.
* **status quo**: the share after ``Y`` years when women keep their current share of
  hires (``x = share · H``, not rounded).
* **equal retention**: the ``x`` needed when women leave at the men's rate.

For a job level, ``H`` is hires plus promotions into the level, and promotions out of the
level count as leavers of it: :func:`level_rates` turns counts into the rates used here.

Boards and small bodies are counted in seats, not shares: :func:`plan_seats`.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

# How far :func:`reachable_in_year` looks ahead (issue 16: null if never within 50 years).
HORIZON_YEARS = 50
# Bisection for the outflow rate stops when the bracket is narrower than this; the rate is
# shown with at most two decimals of a percentage, so 1e-9 is far below what anyone sees.
_RATE_TOLERANCE = 1e-9


class ProjectionError(ValueError):
    """An input the projection cannot use; the message names the input and what to do."""


@dataclass(frozen=True)
class Population:
    """The start of year 0 and the yearly rates of one population."""

    women: float
    men: float
    outflow_women: float
    outflow_men: float
    hires: int

    def __post_init__(self) -> None:
        for name in ("women", "men"):
            value = getattr(self, name)
            if not math.isfinite(value) or value < 0:
                raise ProjectionError(f"{name} must be a number of 0 or more, not {value!r}")
        if self.women + self.men == 0:
            raise ProjectionError(
                "women and men are both 0: the share of women is undefined; "
                "give the headcount at the start"
            )
        for name in ("outflow_women", "outflow_men"):
            value = getattr(self, name)
            if not math.isfinite(value) or not 0 <= value <= 1:
                raise ProjectionError(
                    f"{name} must be a yearly rate between 0 and 1 (0.12 for 12 %), not {value!r}"
                )
        if isinstance(self.hires, bool) or not isinstance(self.hires, int) or self.hires < 0:
            raise ProjectionError(f"hires must be a whole number of 0 or more, not {self.hires!r}")

    @property
    def share(self) -> float:
        return self.women / (self.women + self.men)


@dataclass(frozen=True)
class YearState:
    """Women and men at the end of one projected year."""

    year: int
    women: float
    men: float

    @property
    def share(self) -> float | None:
        total = self.women + self.men
        return None if total == 0 else self.women / total


def project(population: Population, women_hired: float, years: int) -> tuple[YearState, ...]:
    """The state after each of ``years`` years when ``women_hired`` of the hires are women.

    ``women_hired`` may be fractional (the status quo hires a share, not whole people).
    """
    if not 0 <= women_hired <= population.hires:
        raise ProjectionError(
            f"women hired must lie between 0 and the hires ({population.hires}), "
            f"not {women_hired!r}"
        )
    women, men = float(population.women), float(population.men)
    men_hired = population.hires - women_hired
    states = []
    for year in range(1, years + 1):
        women = women - women * population.outflow_women + women_hired
        men = men - men * population.outflow_men + men_hired
        states.append(YearState(year, women, men))
    return tuple(states)


def share_after(population: Population, women_hired: float, years: int) -> float | None:
    """The share of women after ``years`` years (the start share for 0 years)."""
    if years == 0:
        return population.share
    return project(population, women_hired, years)[-1].share


def _reaches(share: float | None, target: float) -> bool:
    # Rounding noise must not turn 25.000000000000004 % into "not enough" or the reverse
    # for a target hit exactly; 1e-12 is far below the two decimals anyone is shown.
    return share is not None and share >= target - 1e-12


def women_needed(population: Population, target: float, years: int) -> int | None:
    """The smallest whole ``x`` in ``0..H`` that reaches ``target`` after ``years``; None
    when even ``x = H`` does not."""
    # The share after ``years`` rises with x (module docstring), so bisect on 0..H:
    # log2(H) projections instead of H.
    if not _reaches(share_after(population, population.hires, years), target):
        return None
    low, high = -1, population.hires  # high reaches, low (when ≥ 0) does not
    while high - low > 1:
        middle = (low + high) // 2
        if _reaches(share_after(population, middle, years), target):
            high = middle
        else:
            low = middle
    return high


def reachable_in_year(
    population: Population, target: float, horizon: int = HORIZON_YEARS
) -> int | None:
    """The first year (1, 2, …) in which hiring only women (``x = H``) reaches ``target``;
    None when that does not happen within ``horizon`` years."""
    for state in project(population, population.hires, horizon):
        if _reaches(state.share, target):
            return state.year
    return None


def outflow_women_to_reach(population: Population, target: float, years: int) -> float | None:
    """The highest yearly outflow rate of women at which ``x = H`` reaches ``target`` in
    ``years`` years; None when even no woman leaving (rate 0) does not reach it.

    The share after ``years`` falls as the women's rate rises (fewer women stay, the men
    are untouched), so the boundary is found by bisection on ``[0, 1]``; the lower end of
    the final bracket is returned, so the rate returned does reach the target.
    """

    def reaches(rate: float) -> bool:
        trial = Population(
            population.women, population.men, rate, population.outflow_men, population.hires
        )
        return _reaches(share_after(trial, population.hires, years), target)

    if not reaches(0.0):
        return None
    if reaches(1.0):
        return 1.0
    low, high = 0.0, 1.0
    while high - low > _RATE_TOLERANCE:
        middle = (low + high) / 2
        if reaches(middle):
            low = middle
        else:
            high = middle
    return low


@dataclass(frozen=True)
class TargetPath:
    """What it would take to reach ``target`` in ``years`` years, with its companions.

    :meth:`to_dict` is exactly the ``koers target-path --json`` contract
    (docs/cli-target-path.md); the other fields are for the pages and the plain output.
    """

    population: Population
    target: float
    years: int
    women_per_year: int | None  # what it would take; None: not reachable with these hires
    end: YearState | None  # the state after ``years`` at ``women_per_year``
    share_short_by_one: float | None  # the share at women_per_year − 1 (None when that is < 0)
    share_all_women: float  # the share after ``years`` when every hire is a woman
    reachable_in_year: int | None  # only when not reachable: the first year x = H reaches it
    outflow_women_to_reach: float | None  # only when not reachable
    women_per_year_equal_retention: int | None
    share_at_end_equal_retention: float | None
    current_hire_share: float | None
    status_quo_share_at_end: float | None

    @property
    def reachable(self) -> bool:
        return self.women_per_year is not None

    @property
    def share_at_end(self) -> float | None:
        return None if self.end is None else self.end.share

    @property
    def met_now(self) -> bool:
        return _reaches(self.population.share, self.target)

    def to_dict(self) -> dict[str, Any]:
        """Exactly the keys of the ``koers target-path --json`` contract (issue 16)."""
        return {
            "women_per_year": self.women_per_year,
            "hires_per_year": self.population.hires,
            "share_at_end": self.share_at_end,
            "reachable": self.reachable,
            "reachable_in_year": self.reachable_in_year,
            "women_per_year_equal_retention": self.women_per_year_equal_retention,
            "status_quo_share_at_end": self.status_quo_share_at_end,
        }


def compute_target_path(
    population: Population,
    target: float,
    years: int,
    current_hire_share: float | None = None,
) -> TargetPath:
    """What it would take (``shared/spec/targets.md``) for one population.

    ``target`` is a share between 0 and 1 (0.25 for 25 %); ``years`` at least 1;
    ``current_hire_share`` the share of women among the hires now (for the status quo),
    or None to leave the status quo out.
    """
    if not math.isfinite(target) or not 0 < target <= 1:
        raise ProjectionError(
            f"target must be a share above 0 and at most 1 (0.25 for 25 %), not {target!r}"
        )
    if isinstance(years, bool) or not isinstance(years, int) or years < 1:
        raise ProjectionError(f"years must be a whole number of 1 or more, not {years!r}")
    if current_hire_share is not None and (
        not math.isfinite(current_hire_share) or not 0 <= current_hire_share <= 1
    ):
        raise ProjectionError(
            "current hire share must be a share between 0 and 1 (0.15 for 15 %), "
            f"not {current_hire_share!r}"
        )
    needed = women_needed(population, target, years)
    end = None if needed is None else project(population, needed, years)[-1]
    short_by_one = (
        None if needed is None or needed == 0 else share_after(population, needed - 1, years)
    )
    all_women = share_after(population, population.hires, years)
    equal = Population(
        population.women,
        population.men,
        population.outflow_men,
        population.outflow_men,
        population.hires,
    )
    needed_equal = women_needed(equal, target, years)
    status_quo = (
        None
        if current_hire_share is None
        else share_after(population, current_hire_share * population.hires, years)
    )
    return TargetPath(
        population=population,
        target=target,
        years=years,
        women_per_year=needed,
        end=end,
        share_short_by_one=short_by_one,
        share_all_women=all_women if all_women is not None else 0.0,
        reachable_in_year=None if needed is not None else reachable_in_year(population, target),
        outflow_women_to_reach=(
            None if needed is not None else outflow_women_to_reach(population, target, years)
        ),
        women_per_year_equal_retention=needed_equal,
        share_at_end_equal_retention=(
            None if needed_equal is None else share_after(equal, needed_equal, years)
        ),
        current_hire_share=current_hire_share,
        status_quo_share_at_end=status_quo,
    )


@dataclass(frozen=True)
class LevelRates:
    """The projection's inputs for a job level from one year's counts."""

    outflow_women: float
    outflow_men: float
    hires: int


def level_rates(
    *,
    women: int,
    men: int,
    leavers_women: int,
    leavers_men: int,
    promoted_out_women: int,
    promoted_out_men: int,
    hires: int,
    promoted_in: int,
) -> LevelRates:
    """Rates for a level (spec: hires plus promotions into it; promotions out of it count
    as leavers of it): ``q = (leavers + promoted out) / headcount at the start``."""
    counts = {
        "women": women,
        "men": men,
        "leavers_women": leavers_women,
        "leavers_men": leavers_men,
        "promoted_out_women": promoted_out_women,
        "promoted_out_men": promoted_out_men,
        "hires": hires,
        "promoted_in": promoted_in,
    }
    for name, value in counts.items():
        if value < 0:
            raise ProjectionError(f"{name} must be 0 or more, not {value!r}")
    for gender, headcount, gone in (
        ("women", women, leavers_women + promoted_out_women),
        ("men", men, leavers_men + promoted_out_men),
    ):
        if gone > headcount:
            raise ProjectionError(
                f"{gone} {gender} left or were promoted out of a level that had {headcount}"
            )
    return LevelRates(
        outflow_women=0.0 if women == 0 else (leavers_women + promoted_out_women) / women,
        outflow_men=0.0 if men == 0 else (leavers_men + promoted_out_men) / men,
        hires=hires + promoted_in,
    )


# --- Seats (boards and supervisory boards) -------------------------------------------


@dataclass(frozen=True)
class Seat:
    """One seat: the gender of its holder (``"F"``, ``"M"``, ``"X"``; ``None`` when
    vacant) and the day the current term ends (``None``: not known)."""

    holder: str | None
    term_ends: dt.date | None = None


@dataclass(frozen=True)
class SeatPlan:
    """Seats that come free before the target year ends and how many must go to a woman."""

    n_seats: int
    n_women: int
    target_share: float | None
    target_year: int
    women_required: int  # the target in seats, at least the "ambitious" minimum
    ambitious_minimum: int  # at least one seat more balanced than now
    seats_free: tuple[Seat, ...]  # terms ending by 31 December of the target year, and vacancies
    women_staying: int  # women whose seats do not come free
    women_to_appoint: int  # of the seats coming free, how many must go to a woman
    reachable: bool  # enough seats come free

    @property
    def n_seats_free(self) -> int:
        return len(self.seats_free)

    def to_dict(self) -> dict[str, Any]:
        return {
            "n_seats": self.n_seats,
            "n_women": self.n_women,
            "target_share": self.target_share,
            "target_year": self.target_year,
            "women_required": self.women_required,
            "ambitious_minimum": self.ambitious_minimum,
            "seats_free": [
                {
                    "holder": seat.holder,
                    "term_ends": None if seat.term_ends is None else seat.term_ends.isoformat(),
                }
                for seat in self.seats_free
            ],
            "women_staying": self.women_staying,
            "women_to_appoint": self.women_to_appoint,
            "reachable": self.reachable,
        }


def ambitious_minimum(n_seats: int, n_women: int) -> int:
    """At least one seat more balanced than now (spec): a board of two men needs one woman.

    "More balanced" means closer to half: one woman more, up to ``n_seats // 2``; a body
    already at that balance (or with more women) keeps its number of women.
    """
    balanced = n_seats // 2
    return min(n_women + 1, balanced) if n_women < balanced else n_women


def plan_seats(
    seats: Sequence[Seat], target_year: int, target_share: float | None = None
) -> SeatPlan:
    """The seats rule for boards: which seats come free by the end of ``target_year`` (the
    SER report counts at year-end), and how many of them must go to a woman to reach
    ``target_share`` of the seats (rounded up to whole seats) or, without a target or with
    a lower one, the ambitious minimum."""
    if not seats:
        raise ProjectionError("a board needs at least one seat")
    if target_share is not None and (not math.isfinite(target_share) or not 0 < target_share <= 1):
        raise ProjectionError(
            f"target must be a share above 0 and at most 1 (0.3 for 30 %), not {target_share!r}"
        )
    for seat in seats:
        if seat.holder not in (None, "F", "M", "X"):
            raise ProjectionError(f"a seat's holder is F, M, X or empty, not {seat.holder!r}")
    end = dt.date(target_year, 12, 31)
    n_seats = len(seats)
    n_women = sum(seat.holder == "F" for seat in seats)
    comes_free = [
        seat.holder is None or (seat.term_ends is not None and seat.term_ends <= end)
        for seat in seats
    ]
    free = tuple(seat for seat, is_free in zip(seats, comes_free, strict=True) if is_free)
    minimum = ambitious_minimum(n_seats, n_women)
    # 1e-9: 0.3 × 10 is 3.0000000000000004 in floating point and must stay 3 seats.
    by_target = 0 if target_share is None else math.ceil(target_share * n_seats - 1e-9)
    required = max(by_target, minimum)
    staying = sum(
        seat.holder == "F" and not is_free for seat, is_free in zip(seats, comes_free, strict=True)
    )
    to_appoint = max(0, required - staying)
    return SeatPlan(
        n_seats=n_seats,
        n_women=n_women,
        target_share=target_share,
        target_year=target_year,
        women_required=required,
        ambitious_minimum=minimum,
        seats_free=free,
        women_staying=staying,
        women_to_appoint=to_appoint,
        reachable=to_appoint <= len(free),
    )
