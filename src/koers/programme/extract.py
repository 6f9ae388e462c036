"""What an organisation shares with a programme, read from its own apps.

The Gender Scan is read only through ``Snapshot.objects.history_for`` and the scan's own
reports (:func:`koers.scan.history.reports_over_time`), in the variant a viewer outside HR
sees: every count a person threshold (:mod:`koers.stats.disclosure`) withholds there is
NULL here, so the programme never receives a figure the organisation's works council could
not see. Pay amounts (sums of hourly pay) come from the HR variant, only for a year whose pay
gap the shared variant shows. Targets and their progress come from the targets monitor
(:func:`koers.targets.monitor.build_monitor`), the measures from the plan through the
``plan_actions`` hook (as the monitor reads them), in Dutch so titles group across members.
The Compass profile mix comes from the Compass's released team scan figures
(:func:`koers.programme.profiles.compass_years`).
"""

from __future__ import annotations

from typing import Any

from celery import shared_task
from django.db import transaction
from django.utils import timezone, translation

from koers.lib import hooks
from koers.programme import profiles
from koers.programme.models import (
    Participation,
    SharedMeasure,
    SharedProfiles,
    SharedYear,
    SizeClass,
    set_first_shares,
)

LARGE = 250  # the EU's SME boundary (Commission Recommendation 2003/361/EC)


def _int(value: Any) -> int | None:
    return None if value is None else round(float(value))


def _scan_years(participation: Participation) -> dict[int, dict[str, Any]]:
    from koers.scan import history, trend

    org = participation.organisation
    shared = history.reports_over_time(org, hr=False, lang="nl")
    full = {s.pk: r for s, r in history.reports_over_time(org, hr=True, lang="nl")}
    years: dict[int, dict[str, Any]] = {}
    for snapshot, report in shared:  # oldest first: the latest snapshot of a year wins
        h = trend.headline(report)
        n = _int(h["n_staff"])
        share = h["female_share"]
        row: dict[str, Any] = {
            "reference_date": snapshot.reference_date,
            "size_class": "" if n is None else (SizeClass.LARGE if n >= LARGE else SizeClass.SMALL),
            "headcount": n,
            "women": None if n is None or share is None else round(share * n),
            "hires": _int(h["hires_total"]),
            "hires_women": _int(h["hires_female"]),
            "leavers": None,
            "leavers_women": _int(h["leavers_female"]),
            "pay_n_women": None,
            "pay_n_men": None,
            "pay_sum_women": None,
            "pay_sum_men": None,
        }
        if h["leavers_female"] is not None and h["leavers_male"] is not None:
            row["leavers"] = _int(h["leavers_female"] + h["leavers_male"])
        pay = (full.get(snapshot.pk) or {}).get("pay") or {}
        means, counts = pay.get("means") or {}, pay.get("counts") or {}
        if h["mean_gap_pct"] is not None and means and counts:
            hw, hm = means["female"]["hourly"], means["male"]["hourly"]
            nw, nm = counts.get("female"), counts.get("male")
            if None not in (hw, hm, nw, nm):
                row.update(pay_n_women=nw, pay_n_men=nm, pay_sum_women=hw * nw, pay_sum_men=hm * nm)
        years[snapshot.reference_date.year] = row
    return years


def _targets_years(participation: Participation) -> dict[int, dict[str, Any]]:
    from koers.targets.monitor import build_monitor

    monitor = build_monitor(participation.organisation, hr=False, lang="nl")
    out: dict[int, dict[str, Any]] = {}
    for i, (year, snapshot) in enumerate(zip(monitor["years"], monitor["snapshots"], strict=True)):
        cells = [row["cells"][i] for row in monitor["targets"] if row["cells"]]
        out[year] = {
            "reference_date": snapshot.reference_date,
            "targets_n": len(monitor["targets"]),
            # A target whose cell a person threshold hides counts as not met.
            "targets_met": sum(1 for c in cells if c.met),
        }
    return out


def _measures(participation: Participation) -> tuple[set[str], int]:
    with translation.override("nl"):
        lines = [
            line
            for impl in hooks.plan_actions.implementations()
            for line in impl(participation.organisation)
        ]
    chosen = {line.measure for line in lines if line.status != "stopped" and line.measure}
    return chosen, len(lines)


@transaction.atomic
def refresh(participation: Participation) -> int:
    """Copy what ``participation`` shares into the programme's tables; returns the years."""
    SharedYear.objects.filter(participation=participation).delete()
    SharedMeasure.objects.filter(participation=participation).delete()
    SharedProfiles.objects.filter(participation=participation).delete()
    if not participation.is_active:
        return 0
    org = participation.organisation
    years: dict[int, dict[str, Any]] = {}
    if participation.share_scan:
        years = _scan_years(participation)
    actions_n: int | None = None
    if participation.share_measures:
        chosen, actions_n = _measures(participation)
        SharedMeasure.objects.bulk_create(
            SharedMeasure(organisation=org, participation=participation, measure=m[:200])
            for m in sorted(chosen)
        )
    if participation.share_targets:
        for year, row in _targets_years(participation).items():
            years.setdefault(year, {}).update(row)
    rows = []
    for year, row in years.items():
        rows.append(
            SharedYear(
                organisation=org,
                participation=participation,
                year=year,
                actions_n=actions_n,
                **row,
            )
        )
    SharedYear.objects.bulk_create(set_first_shares(rows))
    if participation.share_compass:
        sizes = {y: r["size_class"] for y, r in years.items() if r.get("size_class")}
        SharedProfiles.objects.bulk_create(
            SharedProfiles(organisation=org, participation=participation, year=year, **row)
            for year, row in profiles.compass_years(participation, sizes).items()
        )
    participation.refreshed = timezone.now()
    participation.save(update_fields=["refreshed"])
    return len(rows)


def refresh_all() -> int:
    """Refresh the shared copies of every organisation taking part; returns how many.

    The copies are made when an organisation chooses what it shares; its later snapshots,
    targets and plan reach the programme through this nightly refresh (Celery beat
    ``koers.programme_refresh``, or cron running ``koers manage programme_refresh``). A
    stopped participation has no copies to refresh.
    """
    active = Participation.objects.filter(status=Participation.Status.ACTIVE)
    n = 0
    for participation in active.select_related("organisation", "programme").order_by("pk"):
        refresh(participation)
        n += 1
    return n


@shared_task(name="koers.programme_refresh")  # type: ignore[untyped-decorator]
def refresh_task() -> int:
    return refresh_all()
