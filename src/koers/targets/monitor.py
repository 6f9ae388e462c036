"""The yearly monitor: targets, indicators and the plan's status side by side over the years.

One column per yearly Gender Scan snapshot (``Snapshot.objects.history_for``, oldest first):

* each target's actual share on that snapshot's reference date against the target, counted
  with :func:`koers.targets.inputs.inputs_from_frame` on that snapshot's rows (the sub-top
  with the latest version of its definition, so every year is measured the same way);
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
from koers.stats.disclosure import Discloser
from koers.targets.inputs import PopulationInputs, counted_ids, inputs_from_frame

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


def build_monitor(org: Organisation, *, hr: bool, lang: str) -> dict[str, Any]:
    """The monitor's context: ``snapshots`` (columns), ``targets`` (rows of cells),
    ``indicators`` (rows of values) and ``plan`` (:func:`plan_summary`)."""
    from koers.scan import history
    from koers.targets.data import selection_of
    from koers.targets.models import Target
    from koers.targets.services import latest_subtop_definitions

    trend = history.build_trend(org, hr=hr, lang=lang)
    snapshots = trend["snapshots"]
    figures = {row["key"]: row for row in trend["figures"]}
    indicators = [
        {"key": key, "kind": kind, "label": str(label), **figures[key]}
        for key, kind, label in INDICATORS
        if key in figures
    ]
    definitions = {d.name: d for d in latest_subtop_definitions(org)}
    targets = sorted(Target.objects.for_org(org), key=Target.sort_key)
    discloser = Discloser(hr, settings.KOERS_MIN_GROUP_SIZE)
    rows = []
    if targets and snapshots:
        load = history.FrameLoader(snapshots)
        frames = [load(snapshot) for snapshot in snapshots]
        k = settings.KOERS_MIN_GROUP_SIZE
        for target in targets:
            selection = selection_of(target, definitions)
            cells = []
            shown: list[tuple[frozenset[str], frozenset[str]]] = []
            for snapshot, frame in zip(snapshots, frames, strict=True):
                cell = target_cell(
                    inputs_from_frame(frame, snapshot.reference_date, selection),
                    target.share,
                    discloser,
                )
                if not hr and not cell.hidden:
                    # Against every earlier year shown, not only the one before.
                    people = counted_ids(frame, snapshot.reference_date, selection)
                    if any(changed_too_few(earlier, people, k) for earlier in shown):
                        cell = Cell(hidden=True)
                    else:
                        shown.append(people)
                cells.append(cell)
            rows.append({"target": target, "cells": cells})
    else:
        rows = [{"target": target, "cells": []} for target in targets]
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
        targets.append({"target": row["target"], "first": first, "last": last, "change": change})
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
