"""The programme's dashboard and a member's benchmark: per year every figure across the
organisations (aggregated in the database, :mod:`koers.programme.aggregates`) through the rules
of :mod:`koers.stats.orgdisclosure` and the release register (:mod:`koers.programme.release`);
a refused figure carries its reason. The plan and measure figures are in
:mod:`koers.programme.measure_figures`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from koers.programme import release
from koers.programme.aggregates import (
    FIGURES,
    PAY_LABEL,
    Group,
    _decide_filtered,
    _filter_q,
    group,
)
from koers.programme.measure_figures import _measures_of, _PlanPart, _ProgressPart
from koers.programme.models import Participation, Programme, SharedYear
from koers.stats import orgdisclosure as od
from koers.stats.orgrelease import Contribution


def policy() -> od.Policy:
    return od.Policy(min_organisations=settings.KOERS_MIN_ORGANISATIONS)


def shared_years(programme: Programme, today: dt.date | None = None) -> QuerySet[SharedYear]:
    """The shared years the programme may use today: active members, past the lag."""
    cutoff = od.latest_publishable(today or timezone.localdate(), policy())
    return SharedYear.objects.filter(
        participation__programme=programme,
        participation__status=Participation.Status.ACTIVE,
        reference_date__lte=cutoff,
    )


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
) -> dict[str, dict[str, Contribution]]:
    """One query: the rows of the years whose figures changed, as contributions."""
    out: dict[str, dict[str, Contribution]] = {c.key: {} for c in wanted.values()}
    years = sorted({year for year, _ in wanted})
    for row in qs.filter(year__in=years).order_by().values(*YEAR_FIELDS):
        org = str(row["participation_id"])
        for f in FIGURES:
            c = wanted.get((row["year"], f.key))
            base, num = row[f.base], row[f.numerator]
            if c is not None and base and num is not None:
                out[c.key][org] = Contribution(float(base), (), (float(num),))
        c = wanted.get((row["year"], "pay"))
        nw, nm, sw, sm = (row[k] for k in YEAR_FIELDS[-4:])
        if c is not None and nw and nm and sw and sm:
            out[c.key][org] = Contribution(
                float(nw + nm), (float(sw), float(sm)), (float(nw), float(nm))
            )
    return out


def _release_years(
    register: release.Register,
    candidates: dict[tuple[int, str], release.Candidate],
    qs: QuerySet[SharedYear],
) -> tuple[dict[str, release.Shown], list[tuple[release.Candidate, dict[str, Contribution]]]]:
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
