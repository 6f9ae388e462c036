"""Gender Scan pages over time: the trend, a comparison, and replacing a version of a date.

Short views, as :mod:`koers.scan.views`: access, one service (:mod:`koers.scan.history`,
:mod:`koers.scan.versions`), render. The figures come from each snapshot's own report,
disclosed for the viewer (``hr`` only with ``scan.view_all_figures``). Earlier versions
of a date are shown to HR only: two versions of one date differ by a handful of
corrected people, which is exactly what the suppression outside HR must not reveal.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import formats
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from koers.organisations import audit
from koers.organisations.access import OrgRequest, can, org_view
from koers.scan import history, versions
from koers.scan.models import Snapshot

FIGURE_LABELS = {
    "n_staff": gettext_lazy("Medewerkers in dienst"),
    "female_share": gettext_lazy("Vrouwen in dienst"),
    "management_female_share": gettext_lazy("Vrouwen in directie en subtop"),
    "hires_total": gettext_lazy("Instroom (aantal)"),
    "hires_female": gettext_lazy("Instroom vrouwen"),
    "hires_female_share": gettext_lazy("Aandeel vrouwen in de instroom"),
    "leavers_female": gettext_lazy("Vertrokken vrouwen"),
    "leavers_male": gettext_lazy("Vertrokken mannen"),
    "outflow_rate_female": gettext_lazy("Vertrek vrouwen"),
    "outflow_rate_male": gettext_lazy("Vertrek mannen"),
    "promotion_rate_female": gettext_lazy("Promotie vrouwen"),
    "promotion_rate_male": gettext_lazy("Promotie mannen"),
    "part_time_share_female": gettext_lazy("Vrouwen in deeltijd"),
    "mean_gap_pct": gettext_lazy("Loonkloof, gemiddeld uurloon"),
    "median_gap_pct": gettext_lazy("Loonkloof, mediaan uurloon"),
    "adjusted_gap_pct": gettext_lazy("Gecorrigeerde loonkloof"),
}


def _labelled(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for row in rows:
        if row["key"] == "level":
            label = _("Vrouwen in niveau %(level)s") % {"level": row["level"]}
        else:
            label = str(FIGURE_LABELS[row["key"]])
        out.append({**row, "label": label})
    return out


def _date(snapshot: Snapshot) -> str:
    return formats.date_format(snapshot.reference_date, "j-n-Y")


def _version(request: OrgRequest, pk: int) -> Snapshot:
    snapshot: Snapshot = get_object_or_404(
        Snapshot.objects.for_org(request.organisation).defer("data"), pk=pk
    )
    return snapshot


def earlier_version(request: OrgRequest, snapshot: Snapshot) -> HttpResponse | None:
    """Where the page of a version that is not current goes; None: show it (HR, replaced)."""
    slug = request.organisation.slug
    hr = can(request, "scan.view_all_figures")
    if snapshot.status == Snapshot.Status.PENDING and can(request, "scan.manage"):
        return redirect("scan_snapshot_replace", org=slug, pk=snapshot.pk)
    if snapshot.status == Snapshot.Status.REPLACED and hr:
        return None
    current = versions.current_version(request.organisation, snapshot.reference_date)
    if snapshot.status == Snapshot.Status.REMOVED or snapshot.status == Snapshot.Status.REPLACED:
        messages.info(
            request,
            _(
                "Deze versie van de nulmeting per %(date)s is vervangen door een nieuwer "
                "bestand; je ziet de huidige versie."
            )
            % {"date": _date(snapshot)},
        )
    if current is None:
        return redirect("scan_home", org=slug)
    return redirect("scan_snapshot", org=slug, pk=current.pk)


@org_view("scan.view")
def scan_trend(request: OrgRequest) -> HttpResponse:
    hr = can(request, "scan.view_all_figures")
    result = history.build_trend(request.organisation, hr=hr, lang=get_language() or "nl")
    for row in result["figures"]:
        row["label"] = str(FIGURE_LABELS[row["key"]])
    audit.record(request.organisation, request.user, "scan.trend", "")
    return render(request, "scan/trend.html", {"t": result, "is_hr": hr})


def _comparable(request: OrgRequest, hr: bool) -> list[Snapshot]:
    """What may be compared: current snapshots; HR also the replaced versions kept."""
    statuses = [Snapshot.Status.CURRENT]
    if hr:
        statuses.append(Snapshot.Status.REPLACED)
    return list(
        Snapshot.objects.for_org(request.organisation)
        .filter(status__in=statuses)
        .defer("data")
        .order_by("-reference_date", "-version")
    )


def _pick(choices: list[Snapshot], value: str | None, default: Snapshot) -> Snapshot:
    for snapshot in choices:
        if str(snapshot.pk) == value:
            return snapshot
    return default


@org_view("scan.view")
def scan_compare(request: OrgRequest) -> HttpResponse:
    hr = can(request, "scan.view_all_figures")
    choices = _comparable(request, hr)
    current = [s for s in choices if s.is_current]
    if len(choices) < 2 or not current:
        messages.info(request, _("Vergelijken kan vanaf twee nulmetingen."))
        return redirect("scan_home", org=request.organisation.slug)
    new = _pick(choices, request.GET.get("b"), current[0])
    old = _pick(choices, request.GET.get("a"), next(s for s in choices if s.pk != new.pk))
    if old.reference_date > new.reference_date:
        old, new = new, old
    table = history.compare_snapshots(old, new, hr=hr, lang=get_language() or "nl")
    audit.record(request.organisation, request.user, "scan.compare", f"{old.pk}:{new.pk}")
    return render(
        request,
        "scan/compare.html",
        {
            "old": old,
            "new": new,
            "choices": choices,
            "figures": _labelled(table["figures"]),
            "levels": table["levels"],
            "is_hr": hr,
        },
    )


@org_view("scan.manage")
def scan_snapshot_replace(request: OrgRequest, pk: int) -> HttpResponse:
    """What a pending version would replace, and what is lost with it."""
    pending = _version(request, pk)
    slug = request.organisation.slug
    if pending.status != Snapshot.Status.PENDING:
        return redirect("scan_snapshot", org=slug, pk=pk)
    current = versions.current_version(request.organisation, pending.reference_date)
    if current is None:  # the old version went meanwhile: nothing to lose
        versions.confirm_replacement(pending, request.user)
        return redirect("scan_snapshot", org=slug, pk=pk)
    losses = history.replacement_losses(pending, current, lang=get_language() or "nl")
    return render(
        request,
        "scan/replace.html",
        {
            "pending": pending,
            "current": current,
            "losses": _labelled(losses),
            "undo_days": versions.undo_days(),
        },
    )


@require_POST
@org_view("scan.manage")
def scan_snapshot_confirm(request: OrgRequest, pk: int) -> HttpResponse:
    pending = _version(request, pk)
    slug = request.organisation.slug
    if pending.status != Snapshot.Status.PENDING:
        messages.error(request, _("Deze versie wacht niet (meer) op bevestiging."))
        return redirect("scan_snapshot", org=slug, pk=pk)
    if not request.POST.get("confirm"):
        messages.error(request, _("Vink aan dat je de huidige versie wilt vervangen."))
        return redirect("scan_snapshot_replace", org=slug, pk=pk)
    old = versions.confirm_replacement(pending, request.user)
    audit.record(request.organisation, request.user, "scan.replace", pending)
    if old is not None:
        messages.success(
            request,
            _(
                "De nulmeting per %(date)s is vervangen. De vorige versie (%(name)s) blijft "
                "%(days)s dagen bewaard; tot dan kun je de vervanging ongedaan maken."
            )
            % {"date": _date(pending), "name": old.filename, "days": versions.undo_days()},
        )
    return redirect("scan_snapshot", org=slug, pk=pk)


@require_POST
@org_view("scan.manage")
def scan_snapshot_cancel(request: OrgRequest, pk: int) -> HttpResponse:
    pending = _version(request, pk)
    slug = request.organisation.slug
    if pending.status == Snapshot.Status.PENDING:
        day = _date(pending)
        audit.record(request.organisation, request.user, "scan.replace_cancelled", pending)
        versions.cancel_pending(pending)
        messages.success(
            request,
            _("Het nieuwe bestand is niet geïmporteerd; de nulmeting per %(date)s blijft.")
            % {"date": day},
        )
        return redirect("scan_home", org=slug)
    return redirect("scan_snapshot", org=slug, pk=pk)


@require_POST
@org_view("scan.manage")
def scan_snapshot_undo(request: OrgRequest, pk: int) -> HttpResponse:
    replaced = _version(request, pk)
    slug = request.organisation.slug
    if replaced.status != Snapshot.Status.REPLACED:
        messages.error(request, _("Deze versie is niet vervangen."))
        return redirect("scan_snapshot", org=slug, pk=pk)
    try:
        versions.undo_replacement(replaced, request.user)
    except versions.UndoRefused:
        messages.error(
            request,
            _("Deze vervanging kan niet meer ongedaan worden gemaakt: de termijn is voorbij."),
        )
        return redirect("scan_snapshot", org=slug, pk=pk)
    audit.record(request.organisation, request.user, "scan.replace_undone", replaced)
    messages.success(
        request,
        _("De vervanging is ongedaan gemaakt: versie %(version)s is weer de huidige.")
        % {"version": replaced.version},
    )
    return redirect("scan_snapshot", org=slug, pk=pk)
