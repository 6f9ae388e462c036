"""The cost of choices: what fewer hours or unpaid leave mean for gross income and pension.

Pure Python (no Django, nothing stored). Every assumption is a field of
:class:`Assumptions` that the page shows and lets the user change, with its source in
:data:`ASSUMPTION_SOURCES`. All amounts are in today's euros; ``real_growth`` is the yearly
wage growth above inflation.

For year ``t`` (1-based), with full-time salary ``S_t = S * (1 + g) ** (t - 1)``, working
fraction ``f_t`` (the new one during the years with fewer hours, else the current one) and
unpaid share ``u_t`` of that year (unpaid months counted from the start of year 1)::

    gross_t        = S_t * f_t * (1 - u_t)
    pension_base_t = max(0, S_t - franchise) * f_t * (1 - u_t)
    accrual_t      = accrual_rate * pension_base_t

``accrual_t`` is the yearly gross pension (from retirement age, before indexation) that the
year adds: the average-salary scheme of most Dutch pension funds until their move to the new
system (Wet toekomst pensioenen), with the franchise pro-rated for part-time work and no
accrual while leave is unpaid. The differences between the current path and the choice are
what the page shows.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class Assumptions:
    franchise: Decimal = Decimal("18475")
    accrual_rate: Decimal = Decimal("0.0175")
    real_growth: Decimal = Decimal("0.01")


# The defaults and their sources are shown beside each field (koers.dialogue.forms.CostsForm).


@dataclass(frozen=True)
class Choice:
    full_time_salary: Decimal  # gross a year at full time, holiday pay included
    current_fraction: Decimal  # e.g. 1.0 for 40 of 40 hours
    new_fraction: Decimal  # the working fraction during the years with fewer hours
    years_fewer_hours: int
    unpaid_leave_months: int  # from the start of year 1
    horizon_years: int = 10
    assumptions: Assumptions = field(default_factory=Assumptions)


@dataclass(frozen=True)
class Year:
    year: int
    gross_current: Decimal
    gross_choice: Decimal
    accrual_current: Decimal
    accrual_choice: Decimal

    @property
    def gross_difference(self) -> Decimal:
        return self.gross_choice - self.gross_current

    @property
    def accrual_difference(self) -> Decimal:
        return self.accrual_choice - self.accrual_current


@dataclass(frozen=True)
class Outcome:
    years: tuple[Year, ...]

    @property
    def gross_difference(self) -> Decimal:
        """Gross income over the horizon: choice minus current path (negative: less)."""
        return sum((y.gross_difference for y in self.years), Decimal(0))

    @property
    def pension_difference(self) -> Decimal:
        """Yearly gross pension from retirement: choice minus current path."""
        return sum((y.accrual_difference for y in self.years), Decimal(0))

    def to_dict(self) -> dict[str, object]:
        return {
            "years": [asdict(y) for y in self.years],
            "gross_difference": self.gross_difference,
            "pension_difference": self.pension_difference,
        }


def _unpaid_share(months: int, year: int) -> Decimal:
    left = min(max(months - 12 * (year - 1), 0), 12)
    return Decimal(left) / Decimal(12)


def compute(choice: Choice) -> Outcome:
    """The year-by-year outcome of ``choice`` against keeping the current hours."""
    a = choice.assumptions
    years = []
    for t in range(1, choice.horizon_years + 1):
        salary = choice.full_time_salary * (1 + a.real_growth) ** (t - 1)
        fewer = t <= choice.years_fewer_hours
        fraction = choice.new_fraction if fewer else choice.current_fraction
        paid = 1 - _unpaid_share(choice.unpaid_leave_months, t)
        base = max(Decimal(0), salary - a.franchise)
        years.append(
            Year(
                year=t,
                gross_current=salary * choice.current_fraction,
                gross_choice=salary * fraction * paid,
                accrual_current=a.accrual_rate * base * choice.current_fraction,
                accrual_choice=a.accrual_rate * base * fraction * paid,
            )
        )
    return Outcome(tuple(years))
