"""The respondent's own report: on screen, as PDF, shared with a named HR person or not."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from koers.compass.models import ReportShare
from koers.compass.pdf import render_pdf
from koers.compass.report import build_context
from koers.lib.language import current_language
from koers.organisations.models import HR_ROLES
from koers.surveys.models import Response
from koers.surveys.respond_views import load_response


def _hr_people(response: Response) -> list[object]:
    return list(
        get_user_model()
        .objects.filter(
            memberships__organisation=response.campaign.organisation,
            memberships__role__in=list(HR_ROLES),
        )
        .order_by("first_name", "email")
    )


@never_cache
def report(request: HttpRequest, credential: str) -> HttpResponse:
    loaded = load_response(request, credential)
    if isinstance(loaded, HttpResponse):
        return loaded
    if not loaded.is_finished:
        return redirect("respond", credential=credential)
    context = build_context(loaded, current_language())
    context.update(
        {
            "credential": credential,
            "hr_people": _hr_people(loaded),
            "shares": list(ReportShare.objects.filter(response=loaded).select_related("user")),
        }
    )
    return render(request, "compass/report.html", context)


@never_cache
def report_pdf(request: HttpRequest, credential: str) -> HttpResponse:
    loaded = load_response(request, credential)
    if isinstance(loaded, HttpResponse):
        return loaded
    if not loaded.is_finished:
        return redirect("respond", credential=credential)
    pdf = render_pdf("compass/report_print.html", build_context(loaded, current_language()))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="carriere-kompas-rapport.pdf"'
    return response


@require_POST
def share(request: HttpRequest, credential: str) -> HttpResponse:
    loaded = load_response(request, credential)
    if isinstance(loaded, HttpResponse):
        return loaded
    allowed = {str(u.pk): u for u in _hr_people(loaded)}  # type: ignore[attr-defined]
    person = allowed.get(request.POST.get("user", ""))
    if person is not None and loaded.is_finished:
        ReportShare.objects.get_or_create(response=loaded, user=person)
    return redirect("compass_report", credential=credential)


@require_POST
def withdraw(request: HttpRequest, credential: str) -> HttpResponse:
    loaded = load_response(request, credential)
    if isinstance(loaded, HttpResponse):
        return loaded
    share_id = request.POST.get("share", "")
    if share_id.isdigit():
        ReportShare.objects.filter(response=loaded, pk=int(share_id)).delete()
    return redirect("compass_report", credential=credential)
