"""Reports of many snapshots at once: the trend, a comparison and a replacement's losses.

Every report comes from :func:`koers.scan.report.build_context` through
:mod:`koers.scan.report_cache`, under the same key the dashboard uses, so a snapshot
whose dashboard was opened costs nothing here and the reverse. The rows of the
snapshots whose report is not cached are read in one query (:class:`FrameLoader`), so
the trend page's queries do not grow with the number of snapshots
(``tests/scan/test_history_views.py``).

Outside HR a report is the shared variant of the snapshot's default calendar year,
disclosed against the snapshot before it, exactly as its dashboard shows it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd
from django.conf import settings

from koers.organisations.models import Organisation
from koers.scan import report_cache, trend
from koers.scan.models import Snapshot
from koers.scan.periods import Period, default_fixed_period
from koers.scan.report import build_context, default_period, shown_figure_sets
from koers.scan.storage import decode_frame

Load = Callable[[Snapshot], pd.DataFrame]


def _load_one(snapshot: Snapshot) -> pd.DataFrame:
    return snapshot.frame()


class FrameLoader:
    """Rows of snapshots, read for all of them in one query the first time one is needed."""

    def __init__(self, snapshots: Sequence[Snapshot]) -> None:
        self._pks = [s.pk for s in snapshots]
        self._blobs: dict[int, bytes] | None = None

    def __call__(self, snapshot: Snapshot) -> pd.DataFrame:
        if self._blobs is None or snapshot.pk not in self._blobs:
            pks = {*self._pks, snapshot.pk}
            rows = Snapshot.objects.filter(pk__in=pks).values_list("pk", "data")
            self._blobs = {pk: bytes(data) for pk, data in rows}
        return decode_frame(self._blobs[snapshot.pk])


def snapshot_report(
    snapshot: Snapshot,
    *,
    period: Period | tuple[dt.date, dt.date] | None = None,
    hr: bool,
    lang: str,
    previous: Snapshot | None = None,
    with_previous: bool = False,
    load: Load = _load_one,
) -> dict[str, Any]:
    """The report's figures, computed once per snapshot, period, variant and language.

    A snapshot's rows never change (a new file for the same date is a new version); the
    shared variant also depends on the snapshot before it (``previous``, given with
    ``with_previous``), so that one is in the key too. ``period`` None: the default
    (HR: the year up to the reference date; others: the latest calendar year).
    """
    if period is None:
        period = (
            default_period(snapshot.reference_date)
            if hr
            else default_fixed_period(snapshot.reference_date)
        )

    def build() -> dict[str, Any]:
        return build_context(
            load(snapshot),
            snapshot.reference_date,
            period=period,
            hr=hr,
            k=settings.KOERS_MIN_GROUP_SIZE,
            lang=lang,
            previous=(load(previous), previous.reference_date)
            if with_previous and previous is not None
            else None,
        )

    previous_pk = previous.pk if with_previous and previous is not None else None
    params = (previous_pk, str(period), hr, lang, settings.KOERS_MIN_GROUP_SIZE)
    report: dict[str, Any] = report_cache.cached(snapshot.pk, params, build)
    return report


def previous_of(snapshot: Snapshot) -> Snapshot | None:
    """The current snapshot dated just before this one (what a viewer may have seen before)."""
    earlier: Snapshot | None = (
        Snapshot.objects.current_for(snapshot.organisation)
        .filter(reference_date__lt=snapshot.reference_date)
        .first()
    )
    return earlier


def reports_over_time(
    organisation: Organisation, *, hr: bool, lang: str
) -> list[tuple[Snapshot, dict[str, Any]]]:
    """Every current snapshot (oldest first) with its report for this viewer."""
    snapshots = list(Snapshot.objects.history_for(organisation))
    load = FrameLoader(snapshots)
    out = []
    for i, snapshot in enumerate(snapshots):
        previous = snapshots[i - 1] if i else None
        report = snapshot_report(
            snapshot, hr=hr, lang=lang, previous=previous, with_previous=not hr, load=load
        )
        out.append((snapshot, report))
    return out


def build_trend(organisation: Organisation, *, hr: bool, lang: str) -> dict[str, Any]:
    items = reports_over_time(organisation, hr=hr, lang=lang)
    result = trend.build_trend([(s.reference_date, r) for s, r in items])
    result["snapshots"] = [s for s, _ in items]
    return result


def compare_snapshots(old: Snapshot, new: Snapshot, *, hr: bool, lang: str) -> dict[str, Any]:
    """Two snapshots side by side, each disclosed as its own dashboard shows it."""
    load = FrameLoader([old, new])
    reports = []
    for snapshot in (old, new):
        previous = None if hr else previous_of(snapshot)
        reports.append(
            snapshot_report(
                snapshot, hr=hr, lang=lang, previous=previous, with_previous=not hr, load=load
            )
        )
    return trend.compare(reports[0], reports[1])


def replacement_losses(pending: Snapshot, current: Snapshot, *, lang: str) -> list[dict[str, Any]]:
    """The headline figures that change when ``pending`` replaces ``current`` (HR figures)."""
    load = FrameLoader([current, pending])
    old = snapshot_report(current, hr=True, lang=lang, load=load)
    new = snapshot_report(pending, hr=True, lang=lang, load=load)
    return trend.changed_figures(old, new)


def shown_sets(snapshot: Snapshot, frame: pd.DataFrame) -> list[np.ndarray] | None:
    """The sets of rows of ``frame`` (the snapshot's) whose counts the shared variant of its
    report shows, disclosed against the snapshot before it exactly as its dashboard is
    (:func:`koers.scan.report.shown_figure_sets`); None when they cannot be mapped."""
    previous = previous_of(snapshot)
    return shown_figure_sets(
        frame,
        snapshot.reference_date,
        settings.KOERS_MIN_GROUP_SIZE,
        None if previous is None else (previous.frame(), previous.reference_date),
    )
