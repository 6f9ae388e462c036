"""The programme's figures across organisations, aggregated in the database.

Every figure is a ratio of sums over the organisations' shared years (``SharedYear``),
grouped by year in one SQL aggregate per group of organisations (the whole programme, a
filter's subset, its complement): the count of contributing organisations, the sum and the
largest contribution of the figure's base. The second-largest pay amount (for the p % rule)
comes from a window function (``ROW_NUMBER() OVER (PARTITION BY year ...)``), so no row of
an organisation is loaded into Python. :mod:`koers.stats.orgdisclosure` then decides, per
figure and year, whether it is shown; a refused figure carries its reason. The dashboard and
the benchmark that use these are in :mod:`koers.programme.figures`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from django.db.models import Count, F, Max, Q, QuerySet, Sum, Window
from django.db.models.functions import RowNumber
from django.utils.translation import gettext_lazy

from koers.programme import release
from koers.programme.models import SharedYear
from koers.stats import orgdisclosure as od


@dataclass(frozen=True)
class Figure:
    key: str
    label: Any
    base: str  # the field whose per-organisation value decides threshold and dominance
    numerator: str
    kind: str = "share"


FIGURES: tuple[Figure, ...] = (
    Figure("female_share", gettext_lazy("Vrouwen in dienst"), "headcount", "women"),
    Figure("hires_female_share", gettext_lazy("Vrouwen in de instroom"), "hires", "hires_women"),
    Figure(
        "leavers_female_share", gettext_lazy("Vrouwen in de uitstroom"), "leavers", "leavers_women"
    ),
    Figure("targets_met", gettext_lazy("Streefcijfers gehaald"), "targets_n", "targets_met"),
)
PAY_LABEL = gettext_lazy("Loonkloof, gemiddeld uurloon")

# The sum of squared participation ids of a figure's contributors: with their number and
# the sum of their ids, the fingerprint of the contributor set (:mod:`koers.programme.release`).
PID2 = F("participation_id") * F("participation_id")

# Filters the office may apply: query parameter -> field of SharedYear.
FILTERS = {"grootte": "size_class", "sector": "participation__sector"}


def _aggregate(qs: QuerySet[SharedYear]) -> dict[int, dict[str, Any]]:
    """One query: per year, per figure the organisations, sums and largest contribution."""
    annotations: dict[str, Any] = {}
    for f in FIGURES:
        q = Q(**{f"{f.base}__gt": 0, f"{f.numerator}__isnull": False})
        annotations[f"{f.key}__n"] = Count("pk", filter=q)
        annotations[f"{f.key}__total"] = Sum(f.base, filter=q)
        annotations[f"{f.key}__largest"] = Max(f.base, filter=q)
        annotations[f"{f.key}__num"] = Sum(f.numerator, filter=q)
        annotations[f"{f.key}__pid"] = Sum("participation_id", filter=q)
        annotations[f"{f.key}__pid2"] = Sum(PID2, filter=q)
    pay = Q(pay_n_women__gt=0, pay_n_men__gt=0, pay_sum_women__gt=0, pay_sum_men__gt=0)
    staff = F("pay_n_women") + F("pay_n_men")
    annotations |= {
        "pay__n": Count("pk", filter=pay),
        "pay__total": Sum(staff, filter=pay),
        "pay__largest": Max(staff, filter=pay),
        "pay__nw": Sum("pay_n_women", filter=pay),
        "pay__nm": Sum("pay_n_men", filter=pay),
        "pay__sw": Sum("pay_sum_women", filter=pay),
        "pay__sm": Sum("pay_sum_men", filter=pay),
        "pay__sw_max": Max("pay_sum_women", filter=pay),
        "pay__sm_max": Max("pay_sum_men", filter=pay),
        "pay__pid": Sum("participation_id", filter=pay),
        "pay__pid2": Sum(PID2, filter=pay),
        "orgs": Count("pk"),
    }
    rows = qs.order_by().values("year").annotate(**annotations)
    return {row["year"]: row for row in rows}


def _second_largest(qs: QuerySet[SharedYear], field: str) -> dict[int, float]:
    """Per year the second-largest value of ``field`` (a window function in SQL)."""
    pay = Q(pay_n_women__gt=0, pay_n_men__gt=0, pay_sum_women__gt=0, pay_sum_men__gt=0)
    ranked = (
        qs.filter(pay)
        .annotate(
            rank=Window(RowNumber(), partition_by=[F("year")], order_by=F(field).desc()),
        )
        .filter(rank=2)
        .values_list("year", field)
    )
    return {year: float(value) for year, value in ranked}


@dataclass(frozen=True)
class Group:
    """The aggregates of one group of organisations, per year, and their summaries."""

    rows: dict[int, dict[str, Any]]
    second_w: dict[int, float]
    second_m: dict[int, float]

    def counts(self, year: int, key: str) -> od.Summary:
        row = self.rows.get(year)
        if not row or not row[f"{key}__n"]:
            return od.Summary(0, 0.0, 0.0)
        return od.Summary(
            row[f"{key}__n"], float(row[f"{key}__total"]), float(row[f"{key}__largest"])
        )

    def amounts(self, year: int, which: str) -> od.Summary:
        row = self.rows.get(year)
        if not row or not row["pay__n"]:
            return od.Summary(0, 0.0, 0.0)
        second = (self.second_w if which == "w" else self.second_m).get(year, 0.0)
        return od.Summary(
            row["pay__n"], float(row[f"pay__s{which}"]), float(row[f"pay__s{which}_max"]), second
        )

    def decide(self, year: int, key: str, p: od.Policy) -> od.Decision:
        if key != "pay":
            return od.check_summary(self.counts(year, key), p)
        first = od.check_summary(self.counts(year, "pay"), p, amounts=self.amounts(year, "w"))
        if not first.allowed:
            return first
        return od.check_summary(self.counts(year, "pay"), p, amounts=self.amounts(year, "m"))

    def fingerprint(self, year: int, key: str) -> str:
        """The contributors and sums of one figure (unchanged figure, unchanged text)."""
        row = self.rows.get(year) or {}
        if key == "pay":
            names = ["n", "pid", "pid2", "total", "nw", "nm", "sw", "sm"]
        else:
            names = ["n", "pid", "pid2", "total", "num"]
        return release.fingerprint(*(row.get(f"{key}__{name}") for name in names))

    def value(self, year: int, key: str) -> float | None:
        row = self.rows.get(year)
        if not row:
            return None
        if key == "pay":
            if not row["pay__n"]:
                return None
            women = row["pay__sw"] / row["pay__nw"]
            men = row["pay__sm"] / row["pay__nm"]
            return (men - women) / men * 100 if men else None
        total = row[f"{key}__total"]
        return row[f"{key}__num"] / total if total else None


class Aggregates(Protocol):
    """What rule 4 needs of a group's aggregates (:class:`Group`, ``profiles.ProfileGroup``)."""

    @property
    def rows(self) -> dict[int, dict[str, Any]]: ...

    def counts(self, year: int, key: str) -> od.Summary: ...

    def decide(self, year: int, key: str, p: od.Policy) -> od.Decision: ...

    def value(self, year: int, key: str) -> float | None: ...


def group(qs: QuerySet[SharedYear]) -> Group:
    return Group(
        _aggregate(qs), _second_largest(qs, "pay_sum_women"), _second_largest(qs, "pay_sum_men")
    )


def _filter_q(filters: Sequence[tuple[str, str]]) -> list[tuple[str, Q]]:
    return [(f"{name}={value}", Q(**{FILTERS[name]: value})) for name, value in filters]


def _decide_filtered(
    qs: QuerySet[Any],
    filters: Sequence[tuple[str, str]],
    p: od.Policy,
    group: Callable[[QuerySet[Any]], Aggregates] = group,
) -> tuple[Aggregates, Any]:
    """The group the filters select, and a function (year, key) -> Decision applying rule 4.

    ``group`` aggregates a queryset into an object with ``counts(year, key)`` and
    ``decide(year, key, p)`` (:class:`Group` here; the profile mix passes its own,
    :mod:`koers.programme.profiles`)."""
    qs_filters = _filter_q(filters)
    combined = Q()
    for _label, q in qs_filters:
        combined &= q
    selected = group(qs.filter(combined))
    if not qs_filters:
        return selected, lambda year, key: selected.decide(year, key, p)
    # Each filter alone and combined, with its complement; for two filters the differences.
    checks: list[tuple[str, Aggregates, Aggregates | None]] = []
    subsets = list(qs_filters)
    if len(qs_filters) == 2:
        subsets.append((f"{qs_filters[0][0]} & {qs_filters[1][0]}", combined))
    for label, q in subsets:
        checks.append((label, group(qs.filter(q)), group(qs.exclude(q))))
    if len(qs_filters) == 2:
        (la, qa), (lb, qb) = qs_filters
        checks.append((f"{la} & not {lb}", group(qs.filter(qa).exclude(qb)), None))
        checks.append((f"{lb} & not {la}", group(qs.filter(qb).exclude(qa)), None))

    def decide(year: int, key: str) -> od.Decision:
        for label, inside, outside in checks:
            if outside is None:
                counts = inside.counts(year, key)
                if counts.empty:
                    continue
                d = inside.decide(year, key, p)
                if not d.allowed:
                    return od.Decision(
                        False,
                        d.n_organisations,
                        (
                            od.Refusal(
                                "filters",
                                "Samen met de losse filters zou deze combinatie een groep "
                                f"organisaties tonen die niet aan de regels voldoet ({label}).",
                                "Together with the single filters this combination would show "
                                "a group of organisations that does not pass the rules "
                                f"({label}).",
                            ),
                            *d.refusals,
                        ),
                    )
                continue
            d = inside.decide(year, key, p)
            if not d.allowed:
                return d
            if not outside.counts(year, key).empty:
                rest = outside.decide(year, key, p)
                if not rest.allowed:
                    return od.Decision(
                        False,
                        d.n_organisations,
                        (
                            od.Refusal(
                                "complement",
                                "De overige organisaties buiten deze selectie "
                                f"({label}) voldoen niet aan de regels; hun cijfer zou volgen "
                                "uit het totaal min deze selectie.",
                                f"The other organisations outside this selection ({label}) do "
                                "not pass the rules; their figure would follow from the total "
                                "minus this selection.",
                            ),
                            *rest.refusals,
                        ),
                    )
        return selected.decide(year, key, p)

    return selected, decide
