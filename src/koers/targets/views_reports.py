"""The yearly monitor, the annual diversity report (SER) and the programme-day view."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from koers.lib.pdf import PRINT_STYLES, pdf_response, render_pdf
from koers.organisations import audit
from koers.organisations.access import OrgRequest, can, org_view
from koers.organisations.audit_log import neutralise
from koers.targets import programme_export, ser
from koers.targets.forms import ReportForm
from koers.targets.monitor import build_monitor, programme_day
from koers.targets.reporting import (
    build_report,
    default_year,
    report_settings,
    save_report_settings,
)


def _lang() -> str:
    return (get_language() or "nl")[:2]


@org_view("targets.view")
def monitor(request: OrgRequest) -> HttpResponse:
    org = request.organisation
    context = build_monitor(org, hr=can(request, "scan.view_all_figures"), lang=_lang())
    audit.record(org, request.user, "targets.monitor")
    return render(request, "targets/monitor.html", {"m": context})


def _year(request: OrgRequest) -> int:
    try:
        year = int(request.GET.get("jaar", ""))
    except ValueError:
        return default_year(request.organisation)
    return year if 2000 <= year <= 2100 else default_year(request.organisation)


def _ser_context(request: OrgRequest, year: int) -> dict[str, Any]:
    org = request.organisation
    hr = can(request, "scan.view_all_figures")
    report = build_report(org, year, hr=hr)
    return {
        "r": report,
        "hr": hr,
        "year": year,
        "years": list(range(default_year(org) + 1, default_year(org) - 4, -1)),
        "draft_nl": ser.draft_paragraph(report, "nl"),
        "draft_en": ser.draft_paragraph(report, "en"),
        "facts": ser.LEGAL_FACTS,
        "today": timezone.localdate(),
        "organisation": org,
    }


def _why_not_fields(report: ser.SerReport) -> list[tuple[int, str, str]]:
    return [
        (b.target_id, b.label_nl if _lang() == "nl" else b.label_en, b.why_not)
        for b in report.boards
        if b.target_id is not None and b.met is False
    ]


@org_view("targets.view")
def ser_report(request: OrgRequest) -> HttpResponse:
    year = _year(request)
    context = _ser_context(request, year)
    form = None
    if can(request, "targets.manage"):
        conf = report_settings(request.organisation)
        form = ReportForm(
            initial={
                "fy_end_month": conf.fy_end_month,
                "fy_end_day": conf.fy_end_day,
                "count_other": conf.count_other_with_underrepresented,
            },
            why_not=_why_not_fields(context["r"]),
        )
    audit.record(request.organisation, request.user, "targets.ser", str(year))
    return render(request, "targets/ser.html", {**context, "form": form})


@org_view("targets.manage")
def ser_save(request: OrgRequest) -> HttpResponse:
    org = request.organisation
    year = _year(request)
    target = f"{reverse('targets_ser', kwargs={'org': org.slug})}?jaar={year}"
    if request.method != "POST":
        return redirect(target)
    report = build_report(org, year, hr=True)
    form = ReportForm(request.POST, why_not=_why_not_fields(report))
    if not form.is_valid():
        context = _ser_context(request, year)
        return render(request, "targets/ser.html", {**context, "form": form}, status=400)
    save_report_settings(org, year, form.cleaned_data)
    audit.record(org, request.user, "targets.ser_save", str(year))
    messages.success(request, _("Gegevens voor de jaarrapportage opgeslagen."))
    return redirect(target)


@org_view("targets.view")
def ser_pdf(request: OrgRequest) -> HttpResponse:
    year = _year(request)
    context = _ser_context(request, year)
    variant = "intern" if context["hr"] else "deelbaar"
    pdf = render_pdf("targets/ser_pdf.html", context, stylesheets=PRINT_STYLES)
    audit.record(request.organisation, request.user, f"targets.ser_pdf.{variant}", str(year))
    return pdf_response(pdf, f"diversiteitsrapportage-{request.organisation.slug}-{year}.pdf")


@org_view("targets.view")
def ser_csv(request: OrgRequest) -> HttpResponse:
    year = _year(request)
    report = build_report(request.organisation, year, hr=can(request, "scan.view_all_figures"))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(ser.CSV_HEADER)
    for row in ser.csv_rows(report):
        writer.writerow([neutralise(cell) for cell in row])
    audit.record(request.organisation, request.user, "targets.ser_csv", str(year))
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    name = f"diversiteitsrapportage-{request.organisation.slug}-{year}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


def _programme_day(request: OrgRequest) -> dict[str, Any]:
    """The page's context; the PDF and the CSV use the same, so they disclose the same."""
    org = request.organisation
    hr = can(request, "scan.view_all_figures")
    return programme_day(build_monitor(org, hr=hr, lang=_lang()))


@org_view("targets.view")
def programme_day_view(request: OrgRequest) -> HttpResponse:
    day = _programme_day(request)
    audit.record(request.organisation, request.user, "targets.programme_day")
    return render(request, "targets/programme_day.html", {"d": day})


@org_view("targets.view")
def programme_day_pdf(request: OrgRequest) -> HttpResponse:
    org = request.organisation
    day = _programme_day(request)
    context = {"d": day, "organisation": org, "today": timezone.localdate()}
    pdf = render_pdf("targets/programme_day_pdf.html", context, stylesheets=PRINT_STYLES)
    variant = "intern" if day["hr"] else "deelbaar"
    audit.record(org, request.user, f"targets.programme_day_pdf.{variant}")
    return pdf_response(pdf, f"terugkomdag-{org.slug}.pdf")


@org_view("targets.view")
def programme_day_csv(request: OrgRequest) -> HttpResponse:
    org = request.organisation
    day = _programme_day(request)
    audit.record(org, request.user, "targets.programme_day_csv")
    response = HttpResponse(programme_export.to_csv(day), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="terugkomdag-{org.slug}.csv"'
    response["Cache-Control"] = "no-store"
    return response
