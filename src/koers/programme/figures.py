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

from koers.programme import release
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

# The sum of squared participation ids of a figure's contributors: with their number and
# the sum of their ids, the fingerprint of the contributor set (:mod:`koers.programme.release`).
PID2 = F("participation_id") * F("participation_id")

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


YEAR_FIELDS = (
    "participation_id",
    "year",
    "headcount",
    "women",
    "hires",
    "hires_women",
    "leavers",
    "leavers_women",
    "targets_n",
    "targets_met",
    "pay_n_women",
    "pay_n_men",
    "pay_sum_women",
    "pay_sum_men",
)
SPECS: tuple[tuple[str, Any, str], ...] = (
    *((f.key, f.label, f.kind) for f in FIGURES),
    ("pay", PAY_LABEL, "pct"),
)


def _filter_key(filters: Sequence[tuple[str, str]]) -> str:
    return "&".join(f"{name}={value}" for name, value in sorted(filters)) or "alle"


def _year_candidates(
    prefix: str, suffix: str, selected: Group, decide: Any, years: Sequence[int]
) -> dict[tuple[int, str], release.Candidate]:
    """Per year and figure the candidate (key ``prefix|year|figure|suffix``)."""
    out = {}
    for year in years:
        for key, _label, _kind in SPECS:
            decision = decide(year, key)
            out[(year, key)] = release.Candidate(
                f"{prefix}|{year}|{key}|{suffix}",
                decision,
                [selected.value(year, key) if decision.allowed else None],
                selected.fingerprint(year, key),
                f"{prefix}|{year}|{key}|" if prefix == "y" else "",
            )
    return out


def _year_contributions(
    qs: QuerySet[SharedYear], wanted: dict[tuple[int, str], release.Candidate]
) -> dict[str, dict[str, od.Contribution]]:
    """One query: the rows of the years whose figures changed, as contributions."""
    out: dict[str, dict[str, od.Contribution]] = {c.key: {} for c in wanted.values()}
    years = sorted({year for year, _ in wanted})
    for row in qs.filter(year__in=years).order_by().values(*YEAR_FIELDS):
        org = str(row["participation_id"])
        for f in FIGURES:
            c = wanted.get((row["year"], f.key))
            base, num = row[f.base], row[f.numerator]
            if c is not None and base and num is not None:
                out[c.key][org] = od.Contribution(float(base), (), (float(num),))
        c = wanted.get((row["year"], "pay"))
        nw, nm, sw, sm = (row[k] for k in YEAR_FIELDS[-4:])
        if c is not None and nw and nm and sw and sm:
            out[c.key][org] = od.Contribution(
                float(nw + nm), (float(sw), float(sm)), (float(nw), float(nm))
            )
    return out


def _release_years(
    register: release.Register,
    candidates: dict[tuple[int, str], release.Candidate],
    qs: QuerySet[SharedYear],
) -> tuple[dict[str, release.Shown], list[tuple[release.Candidate, dict[str, od.Contribution]]]]:
    shown, changed = release.split(register, candidates.values())
    if not changed:
        return shown, []
    keys = {c.key for c in changed}
    wanted = {yk: c for yk, c in candidates.items() if c.key in keys}
    contributions = _year_contributions(qs, wanted)
    return shown, [(c, contributions[c.key]) for c in changed]


def _cell(year: int, shown: release.Shown, lang: str) -> dict[str, Any]:
    return {
        "year": year,
        "value": shown.first(),
        "n": shown.n,
        "reason": "" if shown.value is not None else shown.reason(lang),
        "frozen": shown.published,
        "withdrawn": shown.withdrawn,
        "code": shown.decision.refusal.code
        if shown.value is None and shown.decision.refusal
        else "",
    }


def dashboard(
    programme: Programme,
    filters: Sequence[tuple[str, str]] = (),
    *,
    lang: str = "nl",
    today: dt.date | None = None,
) -> dict[str, Any]:
    """Progress across the organisations per year, every figure through the rules and the
    release register (a figure once shown stays as shown; see :mod:`koers.programme.release`)."""
    p = policy()
    today = today or timezone.localdate()
    if len(filters) > od.MAX_FILTERS:
        filters = filters[: od.MAX_FILTERS]
    fkey = _filter_key(filters)
    register = release.Register.load(
        programme,
        Q(key__startswith="p|")
        | Q(key__startswith="g|")
        | Q(key__startswith="y|", key__endswith=f"|{fkey}"),
        p,
    )
    qs = shared_years(programme, today)
    selected, decide = _decide_filtered(qs, filters, p)
    assert isinstance(selected, Group)  # the default aggregation
    combined = Q()
    for _label, q in _filter_q(filters):
        combined &= q
    years = sorted(selected.rows)
    yearly = _year_candidates("y", fkey, selected, decide, years)
    shown, changed = _release_years(register, yearly, qs.filter(combined))
    plan_part = _PlanPart(programme, p, register)
    progress_part = None if filters else _ProgressPart(programme, p, register, today)
    plan_shown, plan_changed = release.split(register, plan_part.candidates)
    shown |= plan_shown
    progress_changed: list[release.Candidate] = []
    if progress_part is not None:
        progress_shown, progress_changed = release.split(register, progress_part.candidates)
        shown |= progress_shown
    if plan_changed or progress_changed:
        measures_of = _measures_of(programme)
        changed += plan_part.contributions(plan_changed, measures_of)
        if progress_part is not None:
            changed += progress_part.contributions(progress_changed, measures_of)
    shown |= register.resolve(changed)
    register.save()
    rows = []
    for key, label, kind in SPECS:
        cells = [_cell(year, shown[yearly[(year, key)].key], lang) for year in years]
        rows.append({"key": key, "label": label, "kind": kind, "cells": cells})
    return {
        "years": years,
        "orgs_per_year": [selected.rows[y]["orgs"] for y in years],
        "rows": rows,
        "frozen": any(c["frozen"] for r in rows for c in r["cells"]),
        "plans": plan_part.result(shown, lang),
        "measures": progress_part.result(shown, lang) if progress_part is not None else [],
        "cutoff": od.latest_publishable(today, p),
        "policy": p,
        "filters": list(filters),
    }


def _measures_of(programme: Programme) -> dict[str, set[str]]:
    """One query: the measures of every member sharing them (participation id -> titles)."""
    out: dict[str, set[str]] = {}
    rows = Participation.objects.filter(
        programme=programme, status=Participation.Status.ACTIVE, share_measures=True
    ).values_list("pk", "measures__measure")
    for pk, measure in rows:
        out.setdefault(str(pk), set())
        if measure is not None:
            out[str(pk)].add(measure)
    return out


PK2 = F("pk") * F("pk")


class _PlanPart:
    """How many sharing organisations have a plan, and the measures chosen most.

    Each count is a figure over all organisations that share their measures (both those
    that chose and those that did not: "12 of 13" is about the thirteenth too), split in
    the two sides, each of which must pass in a difference as in the figure (rule 4).
    """

    def __init__(self, programme: Programme, p: od.Policy, register: release.Register) -> None:
        self.p = p
        sharing = Participation.objects.filter(
            programme=programme, status=Participation.Status.ACTIVE, share_measures=True
        )
        has_plan = Q(Exists(SharedMeasure.objects.filter(participation=OuterRef("pk"))))
        counts = sharing.aggregate(
            n=Count("pk"),
            s=Sum("pk"),
            s2=Sum(PK2),
            with_plan=Count("pk", filter=has_plan),
            with_plan_s=Sum("pk", filter=has_plan),
        )
        self.n = n = counts["n"]
        self.shown = n >= p.min_organisations
        everyone = (n, counts["s"], counts["s2"])
        published = register.names("p|m|")
        chosen = list(
            SharedMeasure.objects.filter(participation__in=sharing)
            .values("measure")
            .annotate(n=Count("participation", distinct=True), s=Sum("participation_id"))
            .filter(Q(n__gte=p.min_organisations) | Q(measure__in=published))
            .order_by("-n", "measure")
        )
        top = [m["measure"] for m in chosen if m["n"] >= p.min_organisations][:15]
        found = {m["measure"]: m for m in chosen}
        self.names = list(dict.fromkeys([*top, *published]))
        self.candidates = [
            self._candidate("p|with_plan", n, counts["with_plan"], everyone, counts["with_plan_s"])
        ]
        for name in self.names:
            row = found.get(name, {"n": 0, "s": 0})
            self.candidates.append(self._candidate(f"p|m|{name}", n, row["n"], everyone, row["s"]))

    def _candidate(
        self, key: str, n: int, k: int, everyone: tuple[Any, ...], k_sum: Any
    ) -> release.Candidate:
        decision = _count_decision(k, n, self.p)
        value: list[float | None] = [float(k), float(n)]
        return release.Candidate(key, decision, value, release.fingerprint(*everyone, k, k_sum))

    def contributions(
        self, changed: list[release.Candidate], measures_of: dict[str, set[str]]
    ) -> list[tuple[release.Candidate, dict[str, od.Contribution]]]:
        out = []
        for c in changed:
            if c.key == "p|with_plan":
                sides = {org: "with" if ms else "without" for org, ms in measures_of.items()}
            else:
                name = c.key[len("p|m|") :]
                sides = {
                    org: "with" if name in ms else "without" for org, ms in measures_of.items()
                }
            out.append((c, {org: od.Contribution(1.0, group=side) for org, side in sides.items()}))
        return out

    def result(self, shown: dict[str, release.Shown], lang: str) -> dict[str, Any]:
        plan = shown["p|with_plan"]
        measures = []
        for name in self.names:
            s = shown[f"p|m|{name}"]
            if s.value is None and not s.withdrawn:
                continue  # never shown: as before, a measure too few chose is not listed
            n = None if s.value is None or s.value[0] is None else int(s.value[0])
            measures.append(
                {"measure": name, "n": n, "reason": "" if n is not None else s.reason(lang)}
            )
        measures.sort(key=lambda m: (m["n"] is None, -(m["n"] or 0), m["measure"]))
        with_plan = None if plan.value is None else int(plan.value[0] or 0)
        return {
            "n": self.n,
            "shown": self.shown,
            "with_plan": with_plan,
            # Of how many, as published (the number sharing now may have changed since).
            "with_plan_of": int(plan.value[1] or 0) if plan.value is not None else None,
            "with_plan_reason": plan.reason(lang) if plan.withdrawn else "",
            "measures": measures,
        }


def _count_decision(k: int, n: int, p: od.Policy) -> od.Decision:
    """Rule 4 for a count of ``k`` of ``n`` organisations (each contributes one)."""
    inside = od.Summary(k, float(k), 1.0 if k else 0.0)
    outside = od.Summary(n - k, float(n - k), 1.0 if n - k else 0.0)
    return od.check_subset(inside, outside, p)


def _count_passes(k: int, n: int, p: od.Policy) -> bool:
    return _count_decision(k, n, p).allowed


def plans(programme: Programme, p: od.Policy, *, lang: str = "nl") -> dict[str, Any]:
    """How many sharing organisations have an action plan, and the measures chosen most
    (through the release register, as on the dashboard)."""
    register = release.Register.load(programme, Q(key__startswith="p|"), p)
    part = _PlanPart(programme, p, register)
    shown, changed = release.split(register, part.candidates)
    if changed:
        shown |= register.resolve(part.contributions(changed, _measures_of(programme)))
    register.save()
    return part.result(shown, lang)


class _ProgressPart:
    """For each measure chosen by ≥ min organisations: the mean change in the women's share
    (first to latest shared year, percentage points) of the organisations that chose it and
    of those that did not. Association only: organisations choose measures for reasons that
    also move the figures. Each measure is one figure over the members with a latest year,
    split in the two sides."""

    def __init__(
        self, programme: Programme, p: od.Policy, register: release.Register, today: dt.date
    ) -> None:
        self.p = p
        cutoff = od.latest_publishable(today, p)
        members = Participation.objects.filter(
            programme=programme,
            status=Participation.Status.ACTIVE,
            share_measures=True,
            share_scan=True,
        )
        published = register.names("g|")
        chosen = list(
            SharedMeasure.objects.filter(participation__in=members)
            .values("measure")
            .annotate(n=Count("participation", distinct=True))
            .filter(Q(n__gte=p.min_organisations) | Q(measure__in=published))
            .order_by("-n", "measure")
        )
        top = [m["measure"] for m in chosen if m["n"] >= p.min_organisations][:15]
        self.names = list(dict.fromkeys([*top, *published]))
        self.candidates: list[release.Candidate] = []
        if not self.names:
            self.latest = None
            return
        # Each member's change: its latest publishable year's share minus the share of its
        # first shared year (stored with every year). The latest year per member is the row
        # with no later publishable row of the same member (NOT EXISTS, on the
        # (participation, year) index); one aggregate for all members and one by measure.
        later = SharedYear.objects.filter(
            participation=OuterRef("participation"),
            year__gt=OuterRef("year"),
            reference_date__lte=cutoff,
            headcount__gt=0,
            women__isnull=False,
        )
        self.latest = SharedYear.objects.filter(
            participation__in=members,
            reference_date__lte=cutoff,
            headcount__gt=0,
            women__isnull=False,
            first_share__isnull=False,
        ).filter(~Exists(later))
        total = self.latest.aggregate(
            n=Count("pk"), change=Sum(CHANGE), s=Sum("participation_id"), s2=Sum(PID2)
        )
        per_measure = {
            row["participation__measures__measure"]: row
            for row in self.latest.filter(participation__measures__measure__in=self.names)
            .values("participation__measures__measure")
            .annotate(n_with=Count("pk"), change_with=Sum(CHANGE), s_with=Sum("participation_id"))
        }
        for name in self.names:
            row = per_measure.get(name) or {"n_with": 0, "change_with": 0.0, "s_with": 0}
            n_with, n_without = row["n_with"], total["n"] - row["n_with"]
            ones_with = od.Summary(n_with, float(n_with), 1.0 if n_with else 0.0)
            ones_without = od.Summary(n_without, float(n_without), 1.0 if n_without else 0.0)
            decision = od.check_subset(ones_with, ones_without, p)
            mean_with = mean_without = None
            if decision.allowed:
                mean_with = row["change_with"] / n_with * 100
                if n_without:
                    mean_without = (total["change"] - row["change_with"]) / n_without * 100
            self.candidates.append(
                release.Candidate(
                    f"g|{name}",
                    decision,
                    [mean_with, mean_without, float(n_with), float(n_without)],
                    release.fingerprint(
                        total["n"],
                        total["s"],
                        total["s2"],
                        total["change"],
                        n_with,
                        row["s_with"],
                        row["change_with"],
                    ),
                )
            )

    def contributions(
        self, changed: list[release.Candidate], measures_of: dict[str, set[str]]
    ) -> list[tuple[release.Candidate, dict[str, od.Contribution]]]:
        if not changed or self.latest is None:
            return []
        rows = [
            (str(pk), change)
            for pk, change in self.latest.annotate(change=CHANGE).values_list(
                "participation_id", "change"
            )
        ]
        out = []
        for c in changed:
            name = c.key[len("g|") :]
            contributions = {
                org: od.Contribution(
                    1.0,
                    (),
                    (float(change),),
                    "with" if name in measures_of.get(org, set()) else "without",
                )
                for org, change in rows
            }
            out.append((c, contributions))
        return out

    def result(self, shown: dict[str, release.Shown], lang: str) -> list[dict[str, Any]]:
        out = []
        for name in self.names:
            s = shown[f"g|{name}"]
            value = s.value or [None, None, None, None]
            n_with = int(value[2]) if value[2] is not None else None
            n_without = int(value[3]) if value[3] is not None else None
            out.append(
                {
                    "measure": name,
                    "n": n_with,
                    "n_with": n_with,
                    "n_without": n_without,
                    "change_with": value[0],
                    "change_without": value[1],
                    "reason": s.reason(lang) if value[0] is None else "",
                    "frozen": s.published,
                }
            )
        return out


CHANGE = ExpressionWrapper(
    Cast("women", FloatField()) / Cast("headcount", FloatField()) - F("first_share"),
    output_field=FloatField(),
)


def measures_with_progress(
    programme: Programme, p: od.Policy, *, today: dt.date, lang: str = "nl"
) -> list[dict[str, Any]]:
    """The measures that go with progress, through the release register."""
    register = release.Register.load(programme, Q(key__startswith="g|"), p)
    part = _ProgressPart(programme, p, register, today)
    shown, changed = release.split(register, part.candidates)
    if changed:
        shown |= register.resolve(part.contributions(changed, _measures_of(programme)))
    register.save()
    return part.result(shown, lang)


def benchmark(
    participation: Participation, *, lang: str = "nl", today: dt.date | None = None
) -> dict[str, Any]:
    """The organisation's own latest shared year against the others in the programme.

    The others' figures go through the release register with keys of their own
    (``b|<participation>|<year>|<figure>``): the organisation sees them over time, and when
    another member joins or stops, the difference of two of them would describe that
    member — to a competitor. So they are frozen and withdrawn like the office's figures.
    """
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
    others_qs = (
        shared_years(participation.programme, today)
        .filter(year=mine.year)
        .exclude(participation=participation)
    )
    others = group(others_qs)
    register = release.Register.load(
        participation.programme, Q(key__startswith=f"b|{participation.pk}|{mine.year}|"), p
    )
    candidates = _year_candidates(
        f"b|{participation.pk}",
        "",
        others,
        lambda year, key: others.decide(year, key, p),
        [mine.year],
    )
    shown, changed = _release_years(register, candidates, others_qs)
    shown |= register.resolve(changed)
    register.save()
    rows = []
    for f in FIGURES:
        base, num = getattr(mine, f.base), getattr(mine, f.numerator)
        s = shown[candidates[(mine.year, f.key)].key]
        rows.append(
            {
                "label": f.label,
                "kind": f.kind,
                "own": num / base if base and num is not None else None,
                "others": s.first(),
                "reason": s.reason(lang) if s.value is None or s.first() is None else "",
            }
        )
    own_pay = None
    if mine.pay_n_women and mine.pay_n_men and mine.pay_sum_men:
        w, m = mine.pay_sum_women / mine.pay_n_women, mine.pay_sum_men / mine.pay_n_men
        own_pay = (m - w) / m * 100
    s = shown[candidates[(mine.year, "pay")].key]
    rows.append(
        {
            "label": PAY_LABEL,
            "kind": "pct",
            "own": own_pay,
            "others": s.first(),
            "reason": s.reason(lang) if s.first() is None else "",
        }
    )
    return {"year": mine.year, "reference_date": mine.reference_date, "rows": rows}
