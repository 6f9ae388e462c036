"""The programme's figures about the members' measures, through the release register: how
many sharing organisations have an action plan and the measures chosen most (:func:`plans`),
and the measures that go with progress in the women's share (:func:`measures_with_progress`).
The dashboard (:func:`koers.programme.figures.dashboard`) shows both parts.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import (
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    OuterRef,
    Q,
    Sum,
)
from django.db.models.functions import Cast

from koers.programme import release
from koers.programme.aggregates import PID2
from koers.programme.models import Participation, Programme, SharedMeasure, SharedYear
from koers.stats import orgdisclosure as od
from koers.stats.orgrelease import Contribution


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
    ) -> list[tuple[release.Candidate, dict[str, Contribution]]]:
        out = []
        for c in changed:
            if c.key == "p|with_plan":
                sides = {org: "with" if ms else "without" for org, ms in measures_of.items()}
            else:
                name = c.key[len("p|m|") :]
                sides = {
                    org: "with" if name in ms else "without" for org, ms in measures_of.items()
                }
            out.append((c, {org: Contribution(1.0, group=side) for org, side in sides.items()}))
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
    ) -> list[tuple[release.Candidate, dict[str, Contribution]]]:
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
                org: Contribution(
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
