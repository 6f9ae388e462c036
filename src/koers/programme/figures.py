"""The programme's figures across organisations, aggregated in the database.

Every figure is a ratio of sums over the organisations' shared years (``SharedYear``),
grouped by year in one SQL aggregate per group of organisations (the whole programme, a
filter's subset, its complement): the count of contributing organisations, the sum and the
largest contribution of the figure's base. The second-largest pay amount (for the p % rule)
comes from a window function (``ROW_NUMBER() OVER (PARTITION BY year ...)``), so no row of
an organisation is loaded into Python. :mod:`koers.stats.orgdisclosure` then decides, per
figure and year, whether it is shown; a refused figure carries its reason.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from django.conf import settings
from django.db.models import (
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Window,
)
from django.db.models.functions import Cast, RowNumber
from django.utils import timezone
from django.utils.translation import gettext_lazy

from koers.programme.models import Participation, Programme, SharedMeasure, SharedYear
from koers.stats import orgdisclosure as od


def policy() -> od.Policy:
    return od.Policy(min_organisations=settings.KOERS_MIN_ORGANISATIONS)


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

# Filters the office may apply: query parameter -> field of SharedYear.
FILTERS = {"grootte": "size_class", "sector": "participation__sector"}


def shared_years(programme: Programme, today: dt.date | None = None) -> QuerySet[SharedYear]:
    """The shared years the programme may use today: active members, past the lag."""
    cutoff = od.latest_publishable(today or timezone.localdate(), policy())
    return SharedYear.objects.filter(
        participation__programme=programme,
        participation__status=Participation.Status.ACTIVE,
        reference_date__lte=cutoff,
    )


def _aggregate(qs: QuerySet[SharedYear]) -> dict[int, dict[str, Any]]:
    """One query: per year, per figure the organisations, sums and largest contribution."""
    annotations: dict[str, Any] = {}
    for f in FIGURES:
        q = Q(**{f"{f.base}__gt": 0, f"{f.numerator}__isnull": False})
        annotations[f"{f.key}__n"] = Count("pk", filter=q)
        annotations[f"{f.key}__total"] = Sum(f.base, filter=q)
        annotations[f"{f.key}__largest"] = Max(f.base, filter=q)
        annotations[f"{f.key}__num"] = Sum(f.numerator, filter=q)
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


def dashboard(
    programme: Programme,
    filters: Sequence[tuple[str, str]] = (),
    *,
    lang: str = "nl",
    today: dt.date | None = None,
) -> dict[str, Any]:
    """Progress across the organisations per year, every figure through the rules."""
    p = policy()
    today = today or timezone.localdate()
    if len(filters) > od.MAX_FILTERS:
        filters = filters[: od.MAX_FILTERS]
    qs = shared_years(programme, today)
    selected, decide = _decide_filtered(qs, filters, p)
    years = sorted(selected.rows)
    specs = [(f.key, f.label, f.kind) for f in FIGURES] + [("pay", PAY_LABEL, "pct")]
    rows = []
    for key, label, kind in specs:
        cells = []
        for year in years:
            decision = decide(year, key)
            cells.append(
                {
                    "year": year,
                    "value": selected.value(year, key) if decision.allowed else None,
                    "n": decision.n_organisations,
                    "reason": decision.reason(lang),
                }
            )
        rows.append({"key": key, "label": label, "kind": kind, "cells": cells})
    return {
        "years": years,
        "orgs_per_year": [selected.rows[y]["orgs"] for y in years],
        "rows": rows,
        "plans": plans(programme, p),
        "measures": measures_with_progress(programme, p, today=today, lang=lang)
        if not filters
        else [],
        "cutoff": od.latest_publishable(today, p),
        "policy": p,
        "filters": list(filters),
    }


def plans(programme: Programme, p: od.Policy) -> dict[str, Any]:
    """How many sharing organisations have an action plan, and the measures chosen most."""
    sharing = Participation.objects.filter(
        programme=programme, status=Participation.Status.ACTIVE, share_measures=True
    )
    counts = sharing.aggregate(
        n=Count("pk"),
        with_plan=Count(
            "pk", filter=Q(Exists(SharedMeasure.objects.filter(participation=OuterRef("pk"))))
        ),
    )
    n = counts["n"]
    shown = n >= p.min_organisations
    chosen = (
        SharedMeasure.objects.filter(participation__in=sharing)
        .values("measure")
        .annotate(n=Count("participation", distinct=True))
        .filter(n__gte=p.min_organisations)
        .order_by("-n", "measure")
    )
    # A count of organisations is a subset too: "12 of 13" would single out the one without,
    # so a count is shown only when those with and those without both pass (rule 4).
    return {
        "n": n,
        "shown": shown,
        "with_plan": counts["with_plan"]
        if shown and _count_passes(counts["with_plan"], n, p)
        else None,
        "measures": [m for m in chosen[:15] if _count_passes(m["n"], n, p)] if shown else [],
    }


def _count_passes(k: int, n: int, p: od.Policy) -> bool:
    """Rule 4 for a count of ``k`` of ``n`` organisations (each contributes one)."""
    inside = od.Summary(k, float(k), 1.0 if k else 0.0)
    outside = od.Summary(n - k, float(n - k), 1.0 if n - k else 0.0)
    return od.check_subset(inside, outside, p).allowed


def measures_with_progress(
    programme: Programme, p: od.Policy, *, today: dt.date, lang: str = "nl"
) -> list[dict[str, Any]]:
    """For each measure chosen by ≥ min organisations: the mean change in the women's share
    (first to latest shared year, percentage points) of the organisations that chose it and
    of those that did not. Association only: organisations choose measures for reasons that
    also move the figures."""
    cutoff = od.latest_publishable(today, p)
    members = Participation.objects.filter(
        programme=programme,
        status=Participation.Status.ACTIVE,
        share_measures=True,
        share_scan=True,
    )
    chosen = (
        SharedMeasure.objects.filter(participation__in=members)
        .values("measure")
        .annotate(n=Count("participation", distinct=True))
        .filter(n__gte=p.min_organisations)
        .order_by("-n", "measure")
    )
    top = list(chosen[:15])
    if not top:
        return []
    # Each member's change: its latest publishable year's share minus the share of its first
    # shared year (stored with every year). The latest year per member is the row with no
    # later publishable row of the same member (NOT EXISTS, on the (participation, year)
    # index); one aggregate for all members and one grouped by measure.
    later = SharedYear.objects.filter(
        participation=OuterRef("participation"),
        year__gt=OuterRef("year"),
        reference_date__lte=cutoff,
        headcount__gt=0,
        women__isnull=False,
    )
    latest = SharedYear.objects.filter(
        participation__in=members,
        reference_date__lte=cutoff,
        headcount__gt=0,
        women__isnull=False,
        first_share__isnull=False,
    ).filter(~Exists(later))
    change = ExpressionWrapper(
        Cast("women", FloatField()) / Cast("headcount", FloatField()) - F("first_share"),
        output_field=FloatField(),
    )
    total = latest.aggregate(n=Count("pk"), change=Sum(change))
    per_measure = {
        row["participation__measures__measure"]: row
        for row in latest.filter(
            participation__measures__measure__in=[item["measure"] for item in top]
        )
        .values("participation__measures__measure")
        .annotate(n_with=Count("pk"), change_with=Sum(change))
    }
    out = []
    for item in top:
        row = per_measure.get(item["measure"]) or {"n_with": 0, "change_with": 0.0}
        n_with, n_without = row["n_with"], total["n"] - row["n_with"]
        ones_with = od.Summary(n_with, float(n_with), 1.0 if n_with else 0.0)
        ones_without = od.Summary(n_without, float(n_without), 1.0 if n_without else 0.0)
        decision = od.check_subset(ones_with, ones_without, p)
        mean_with = mean_without = None
        if decision.allowed:
            mean_with = row["change_with"] / n_with * 100
            if n_without:
                mean_without = (total["change"] - row["change_with"]) / n_without * 100
        out.append(
            {
                "measure": item["measure"],
                "n": item["n"],
                "n_with": n_with,
                "n_without": n_without,
                "change_with": mean_with,
                "change_without": mean_without,
                "reason": decision.reason(lang),
            }
        )
    return out


def benchmark(
    participation: Participation, *, lang: str = "nl", today: dt.date | None = None
) -> dict[str, Any]:
    """The organisation's own latest shared year against the others in the programme."""
    p = policy()
    today = today or timezone.localdate()
    mine = (
        SharedYear.objects.for_org(participation.organisation)
        .filter(participation=participation, reference_date__lte=od.latest_publishable(today, p))
        .order_by("-year")
        .first()
    )
    if mine is None:
        return {"year": None, "rows": []}
    others = group(
        shared_years(participation.programme, today)
        .filter(year=mine.year)
        .exclude(participation=participation)
    )
    rows = []
    for f in FIGURES:
        base, num = getattr(mine, f.base), getattr(mine, f.numerator)
        own = num / base if base and num is not None else None
        d = others.decide(mine.year, f.key, p)
        rows.append(
            {
                "label": f.label,
                "kind": f.kind,
                "own": own,
                "others": others.value(mine.year, f.key) if d.allowed else None,
                "reason": d.reason(lang),
            }
        )
    own_pay = None
    if mine.pay_n_women and mine.pay_n_men and mine.pay_sum_men:
        w, m = mine.pay_sum_women / mine.pay_n_women, mine.pay_sum_men / mine.pay_n_men
        own_pay = (m - w) / m * 100
    d = others.decide(mine.year, "pay", p)
    rows.append(
        {
            "label": PAY_LABEL,
            "kind": "pct",
            "own": own_pay,
            "others": others.value(mine.year, "pay") if d.allowed else None,
            "reason": d.reason(lang),
        }
    )
    return {"year": mine.year, "reference_date": mine.reference_date, "rows": rows}
