"""The yearly monitor: targets, indicators and the plan's status side by side over the years.

One column per yearly Gender Scan snapshot (``Snapshot.objects.history_for``, oldest first):

* each target's actual share on that snapshot's reference date against the target, counted
  with :func:`koers.targets.inputs.inputs_from_frame` on that snapshot's rows; a sub-top
  category with the version of its definition valid on that date
  (:mod:`koers.targets.versions`), so a changed definition shows as a *break* in the trend,
  with the years before it also *recounted with today's definition* beside them where that
  discloses nobody (:func:`target_row`);
* the indicators (women's share, inflow, outflow, pay gap) picked from each snapshot's own
  report as the Gender Scan's trend does (:func:`koers.scan.history.build_trend`), so a viewer
  outside HR sees exactly what that snapshot's dashboard shows them;
* the plan (through the ``plan_actions`` hook): counts by status, the actions due in each
  column's year, and the late actions, which the page puts first.

The pure parts (:func:`target_cells`, :func:`plan_summary`) take counts and plan lines; the
service :func:`build_monitor` reads the database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy

from koers.lib import hooks
from koers.lib.hooks import PlanLine
from koers.organisations.models import Organisation
from koers.scan.charts import FEMALE, MALE
from koers.stats.disclosure import Discloser
from koers.targets.charts import Line, trend_chart
from koers.targets.inputs import PopulationInputs, Selection, counted_ids, inputs_from_frame
from koers.targets.versions import Version, breaks

# The indicators of the monitor: keys of koers.scan.trend.FIGURES with their kind.
INDICATORS: tuple[tuple[str, str, Any], ...] = (
    ("n_staff", "count", gettext_lazy("Medewerkers in dienst")),
    ("female_share", "share", gettext_lazy("Vrouwen in dienst")),
    ("hires_female_share", "share", gettext_lazy("Aandeel vrouwen in de instroom")),
    ("outflow_rate_female", "share", gettext_lazy("Vertrek vrouwen")),
    ("outflow_rate_male", "share", gettext_lazy("Vertrek mannen")),
    ("mean_gap_pct", "pct", gettext_lazy("Loonkloof, gemiddeld uurloon")),
    ("median_gap_pct", "pct", gettext_lazy("Loonkloof, mediaan uurloon")),
)
STATUSES = ("planned", "in_progress", "done", "stopped")


@dataclass(frozen=True)
class Cell:
    """One target in one year. ``hidden``: a gender group under k for this viewer, so
    neither the counts nor the share nor whether the target is met are shown."""

    women: int | None = None
    men: int | None = None
    share: float | None = None
    met: bool | None = None
    hidden: bool = False


def target_cell(inputs: PopulationInputs, target_share: float, discloser: Discloser) -> Cell:
    """The actual share of one population against ``target_share`` (a fraction)."""
    shown = discloser.counts({"female": inputs.women, "male": inputs.men, "other": inputs.other})
    if None in shown.values():
        return Cell(hidden=True)
    share = inputs.share
    return Cell(
        women=inputs.women,
        men=inputs.men,
        share=share,
        met=None if share is None else share >= target_share - 1e-12,
    )


def changed_too_few(
    before: tuple[frozenset[str], frozenset[str]],
    after: tuple[frozenset[str], frozenset[str]],
    k: int,
) -> bool:
    """Between two snapshots, did the women or the men counted change by 1 to k − 1 people
    (joined or left)? Then a viewer outside HR could tell what happened to a few people by
    subtracting the two years, so the later cell is hidden (the Gender Scan's rule for
    earlier snapshots, docs/gender-scan.md)."""
    return any(0 < len(a ^ b) < k for a, b in zip(before, after, strict=True))


def plan_summary(lines: Sequence[PlanLine], years: Sequence[int]) -> dict[str, Any]:
    """Counts by status, the late actions, and per year the actions due in it (done or not)."""
    counts = {status: sum(1 for line in lines if line.status == status) for status in STATUSES}
    per_year = []
    for year in years:
        due = [line for line in lines if line.due is not None and line.due.year == year]
        per_year.append(
            {
                "year": year,
                "due": len(due),
                "done": sum(1 for line in due if line.status == "done"),
                "late": sum(1 for line in due if line.late),
            }
        )
    late = sorted((line for line in lines if line.late), key=lambda line: (line.due, line.measure))
    return {
        "counts": counts,
        "total": len(lines),
        "late": late,
        "n_late": len(late),
        "per_year": per_year,
        "lines": sorted(lines, key=lambda line: (not line.late, line.due is None, line.due)),
    }


def plan_lines(org: Organisation) -> list[PlanLine]:
    """Every action of the plan, through the ``plan_actions`` hook (no import of the plan)."""
    return [line for impl in hooks.plan_actions.implementations() for line in impl(org)]


People = tuple[frozenset[str], frozenset[str]]


def _series(
    frames: Sequence[Any],
    days: Sequence[Any],
    selections: Sequence[Selection],
    target_share: float,
    discloser: Discloser,
    shown: list[People],
    k: int,
) -> list[Cell]:
    """One target's cells over the years; outside HR a cell is hidden when it differs from
    any cell already in ``shown`` (which it extends) by 1 to k − 1 people."""
    cells = []
    for frame, day, selection in zip(frames, days, selections, strict=True):
        cell = target_cell(inputs_from_frame(frame, day, selection), target_share, discloser)
        if not discloser.hr and not cell.hidden:
            # Against every earlier year shown, not only the one before.
            people = counted_ids(frame, day, selection)
            if any(changed_too_few(earlier, people, k) for earlier in shown):
                cell = Cell(hidden=True)
            else:
                shown.append(people)
        cells.append(cell)
    return cells


def target_row(
    target: Any,
    frames: Sequence[Any],
    days: Sequence[Any],
    versions: dict[str, list[Version]],
    discloser: Discloser,
    k: int,
) -> dict[str, Any]:
    """One target over the years: ``cells`` counted as each year's definition was (for a
    sub-top category its ``versions`` per year and the ``breaks`` between them), and, when
    some year used another version than today's, ``recount``: every year counted with
    today's definition. Outside HR the recount is checked against every cell shown, so the
    two series cannot be differenced down to a few people either."""
    from koers.targets.data import selection_of, subtop_version

    used = [subtop_version(target, versions, day) for day in days]
    today = subtop_version(target, versions)
    selections = [selection_of(target, versions, day) for day in days]
    shown: list[People] = []
    cells = _series(frames, days, selections, target.share, discloser, shown, k)
    recount = None
    if today is not None and any(v is not None and v != today for v in used):
        now = [selection_of(target, versions)] * len(days)
        recount = _series(frames, days, now, target.share, discloser, shown, k)
    row_breaks = breaks(used)
    chart = None
    if target.population == "subtop" and days:
        lines = [Line("counted", tuple(c.share for c in cells), FEMALE)]
        if recount is not None:
            lines.append(Line("recounted", tuple(c.share for c in recount), MALE, "6 4"))
        chart = trend_chart(
            lines,
            target=target.share,
            years=[day.year for day in days],
            breaks=[v.version if b and v else None for v, b in zip(used, row_breaks, strict=True)],
        )
    columns = [
        {
            "day": day,
            "cell": cell,
            "version": version,
            "break": is_break,
            "recount": None if recount is None else recount[i],
        }
        for i, (day, cell, version, is_break) in enumerate(
            zip(days, cells, used, row_breaks, strict=True)
        )
    ]
    return {
        "target": target,
        "cells": cells,
        "versions": used,
        "breaks": row_breaks,
        "columns": columns,
        "changes": [
            {"day": days[i], "version": used[i], "previous": used[i - 1]}
            for i, is_break in enumerate(row_breaks)
            if is_break
        ],
        "today": today,
        "recount": recount,
        "chart": chart,
    }


def build_monitor(org: Organisation, *, hr: bool, lang: str) -> dict[str, Any]:
    """The monitor's context: ``snapshots`` (columns), ``targets`` (:func:`target_row` per
    target), ``indicators`` (rows of values) and ``plan`` (:func:`plan_summary`)."""
    from koers.scan import history
    from koers.targets.data import subtop_versions
    from koers.targets.models import Target

    trend = history.build_trend(org, hr=hr, lang=lang)
    snapshots = trend["snapshots"]
    figures = {row["key"]: row for row in trend["figures"]}
    indicators = [
        {"key": key, "kind": kind, "label": str(label), **figures[key]}
        for key, kind, label in INDICATORS
        if key in figures
    ]
    versions = subtop_versions(org)
    targets = sorted(Target.objects.for_org(org), key=Target.sort_key)
    discloser = Discloser(hr, settings.KOERS_MIN_GROUP_SIZE)
    rows = []
    if targets and snapshots:
        load = history.FrameLoader(snapshots)
        frames = [load(snapshot) for snapshot in snapshots]
        days = [snapshot.reference_date for snapshot in snapshots]
        k = settings.KOERS_MIN_GROUP_SIZE
        rows = [target_row(t, frames, days, versions, discloser, k) for t in targets]
    else:
        rows = [
            {"target": t, "cells": [], "versions": [], "breaks": [], "columns": [],
             "changes": [], "today": None, "recount": None, "chart": None}
            for t in targets
        ]  # fmt: skip
    years = [snapshot.reference_date.year for snapshot in snapshots]
    return {
        "snapshots": snapshots,
        "years": years,
        "targets": rows,
        "indicators": indicators,
        "plan": plan_summary(plan_lines(org), years),
        "hr": hr,
    }


def programme_day(monitor: dict[str, Any]) -> dict[str, Any]:
    """The programme-day view from the monitor: the baseline (first snapshot) beside the
    latest, for the targets and the indicators, with the change since; and the plan."""
    snapshots = monitor["snapshots"]
    targets = []
    for row in monitor["targets"]:
        cells = row["cells"]
        first, last = (cells[0], cells[-1]) if cells else (None, None)
        change = None
        if first is not None and last is not None and None not in (first.share, last.share):
            change = (last.share - first.share) * 100
        # A sub-top counted with another definition at the baseline than now: the change
        # crosses a break; beside it the change with both years recounted with today's.
        crosses = any(row["breaks"])
        recount_change = None
        if crosses and row["recount"]:
            a, b = row["recount"][0], row["recount"][-1]
            if None not in (a.share, b.share) and not (a.hidden or b.hidden):
                recount_change = (b.share - a.share) * 100
        targets.append(
            {
                "target": row["target"],
                "first": first,
                "last": last,
                "change": change,
                "break": crosses,
                "changes": row["changes"],
                "today": row["today"],
                "recount_first": row["recount"][0] if crosses and row["recount"] else None,
                "recount_change": recount_change,
            }
        )
    indicators = [
        {
            "label": f["label"],
            "kind": f["kind"],
            "first": f["values"][0] if f["values"] else None,
            "last": f["values"][-1] if f["values"] else None,
            "change": f["change"],
        }
        for f in monitor["indicators"]
    ]
    return {
        "baseline": snapshots[0] if snapshots else None,
        "latest": snapshots[-1] if len(snapshots) > 1 else None,
        "targets": targets,
        "indicators": indicators,
        "plan": monitor["plan"],
        "hr": monitor["hr"],
    }
