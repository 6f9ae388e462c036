"""The annual diversity report from the database: which snapshot, which counts, which targets.

Year-end numbers come from the first current snapshot dated on or after the financial year's
end, counted on the year's last day from its dates (hire and exit dates show who was in
service then; levels and layers are as in that file). Without such a snapshot, the latest one
before the year end is used and the page says so. A sub-top category is counted with the
version of its definition valid on the counting day (:mod:`koers.targets.versions`). Who
sees which figures: HR and admin everything; others (the works council) the one suppression
rule per body (DESIGN.md), so a board of four shows its target but not its men and women
until HR shares the filed report (docs/diversity-report.md explains the choice).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from koers.organisations.models import Organisation
from koers.stats.disclosure import Discloser
from koers.stats.workforce import employed_on, gender_masks, staff_mask
from koers.targets import ser
from koers.targets.inputs import Selection, inputs_from_frame
from koers.targets.models import ReportSettings, Target, TargetExplanation
from koers.targets.monitor import plan_lines
from koers.targets.versions import version_on

BODY_LABELS = {
    "employees": ("werknemers", "employees"),
    "board": ("het bestuur", "the board"),
    "supervisory_board": ("de raad van commissarissen", "the supervisory board"),
}


def report_settings(org: Organisation) -> ReportSettings:
    """The organisation's settings, or the defaults (calendar year, others not counted)."""
    found = ReportSettings.objects.for_org(org).first()
    return found if found is not None else ReportSettings(organisation=org)


def default_year(org: Organisation, today: dt.date | None = None) -> int:
    """The last financial year that has ended by ``today``: the one reported next."""
    today = today or timezone.localdate()
    conf = report_settings(org)
    end = ser.financial_year_end(today.year, conf.fy_end_month, conf.fy_end_day)
    return today.year if end < today else today.year - 1


def _snapshot_for(org: Organisation, fy_end: dt.date) -> Any:
    from koers.scan.models import Snapshot

    snapshots = list(Snapshot.objects.history_for(org))  # oldest first, rows deferred
    after = [s for s in snapshots if s.reference_date >= fy_end]
    if after:
        return after[0]
    before = [s for s in snapshots if s.reference_date < fy_end]
    return before[-1] if before else None


def build_report(org: Organisation, year: int, *, hr: bool) -> ser.SerReport:
    from koers.targets.data import subtop_versions

    conf = report_settings(org)
    fy_end = ser.financial_year_end(year, conf.fy_end_month, conf.fy_end_day)
    snapshot = _snapshot_for(org, fy_end)
    frame = None if snapshot is None else snapshot.frame()
    # On the year's last day; from an earlier snapshot only on its own date.
    count_day = fy_end if snapshot is None else min(fy_end, snapshot.reference_date)
    discloser = Discloser(hr, settings.KOERS_MIN_GROUP_SIZE)
    targets = [
        t
        for t in Target.objects.for_org(org)
        if t.population in ("board", "supervisory_board", "subtop") and t.split == "all"
    ]
    explanations = {
        e.target_id: e.text
        for e in TargetExplanation.objects.for_org(org).filter(year=year, target__in=targets)
    }

    def target_for(population: str, name: str = "") -> Target | None:
        fitting = [t for t in targets if t.population == population and t.subtop_name == name]
        # The target whose year is nearest on or after the report year, else the latest.
        fitting.sort(key=lambda t: (t.target_year < year, abs(t.target_year - year)))
        return fitting[0] if fitting else None

    def body(key: str, labels: tuple[str, str], counts: tuple[int, int, int] | None,
             target: Target | None) -> ser.Body:  # fmt: skip
        women = men = other = None
        if counts is not None:
            # Disclosed as reported: with the SER option the others are part of a sex.
            w, m, o = ser.apply_other(*counts, conf.count_other_with_underrepresented)
            if None not in discloser.counts({"female": w, "male": m, "other": o}).values():
                women, men, other = w, m, o
        return ser.Body(
            key,
            labels[0],
            labels[1],
            women,
            men,
            other,
            target_share=None if target is None else target.share,
            target_year=None if target is None else target.target_year,
            target_id=None if target is None else target.pk,
            why_not="" if target is None else explanations.get(target.pk, ""),
        )

    def stock(selection: Selection) -> tuple[int, int, int] | None:
        if frame is None:
            return None
        inputs = inputs_from_frame(frame, count_day, selection)
        return inputs.women, inputs.men, inputs.other

    employees: tuple[int, int, int] | None = None
    if frame is not None:
        in_service = staff_mask(frame) & employed_on(frame, count_day)
        female, male, other = gender_masks(frame)
        employees = (
            int(np.sum(in_service & female)),
            int(np.sum(in_service & male)),
            int(np.sum(in_service & other)),
        )
    bodies = [body("employees", BODY_LABELS["employees"], employees, None)]
    for key in ("board", "supervisory_board"):
        bodies.append(body(key, BODY_LABELS[key], stock(Selection(key)), target_for(key)))
    versions = subtop_versions(org)
    if not versions:
        labels = ("de subtop", "the sub-top")
        bodies.append(body("subtop", labels, stock(Selection("subtop")), target_for("subtop")))
    for name, found in versions.items():
        # Counted with the definition valid on the counting day (koers.targets.versions).
        d = version_on(found, count_day)
        assert d is not None
        selection = Selection("subtop", "all", d.job_levels, d.job_families)
        labels = (f"de subtop '{name}'", f"the sub-top '{name}'")
        bodies.append(body("subtop", labels, stock(selection), target_for("subtop", name)))
    return ser.SerReport(
        organisation=org.name,
        year=year,
        fy_start=ser.financial_year_start(fy_end),
        fy_end=fy_end,
        deadline=ser.deadline(fy_end),
        count_other=conf.count_other_with_underrepresented,
        source_date=None if snapshot is None else snapshot.reference_date,
        bodies=tuple(bodies),
        measures=ser.measures_of(plan_lines(org)),
    )


@transaction.atomic
def save_report_settings(org: Organisation, year: int, data: dict[str, Any]) -> None:
    """Store the report settings and the year's explanations (``why_<target id>`` fields)."""
    ReportSettings.objects.update_or_create(
        organisation=org,
        defaults={
            "fy_end_month": data["fy_end_month"],
            "fy_end_day": data["fy_end_day"],
            "count_other_with_underrepresented": bool(data.get("count_other")),
        },
    )
    for name, text in data.items():
        if not name.startswith("why_"):
            continue
        target = Target.objects.for_org(org).filter(pk=int(name[4:])).first()
        if target is None:
            continue
        TargetExplanation.objects.update_or_create(
            organisation=org, target=target, year=year, defaults={"text": text.strip()}
        )
