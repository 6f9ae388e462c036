"""Home, the organisation dashboard and member management."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from koers.jobs.models import Job
from koers.jobs.services import start_job
from koers.organisations import audit
from koers.organisations.access import current_organisation, org_view, organisations_of
from koers.organisations.models import HR_ROLES, Membership, Role
from koers.web.forms import RoleForm
from koers.web.overview import hr_overview


def home(request: HttpRequest) -> HttpResponse:
    orgs = organisations_of(request.user)
    if len(orgs) == 1:
        return redirect("dashboard", org=orgs[0].slug)
    return render(request, "web/home.html", {"organisations": orgs})


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "web/privacy.html")


def healthz(request: HttpRequest) -> HttpResponse:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@org_view()
def dashboard(request: HttpRequest) -> HttpResponse:
    membership: Membership = request.membership  # type: ignore[attr-defined]
    overview = hr_overview(membership.organisation) if membership.is_hr else None
    return render(request, "web/dashboard.html", {"overview": overview})


@org_view(roles={Role.ADMIN})
def members(request: HttpRequest) -> HttpResponse:
    org = request.organisation  # type: ignore[attr-defined]
    rows = Membership.objects.filter(organisation=org).select_related("user")
    forms = [(m, RoleForm(instance=m, prefix=f"m{m.pk}")) for m in rows]
    return render(
        request, "web/members.html", {"rows": forms, "min_group": settings.KOERS_MIN_GROUP_SIZE}
    )


@require_POST
@org_view(roles={Role.ADMIN})
def change_role(request: HttpRequest, pk: int) -> HttpResponse:
    org = request.organisation  # type: ignore[attr-defined]
    membership = get_object_or_404(Membership, pk=pk, organisation=org)
    form = RoleForm(request.POST, instance=membership, prefix=f"m{membership.pk}")
    admins_left = Membership.objects.filter(organisation=org, role=Role.ADMIN).exclude(pk=pk)
    if form.is_valid():
        if form.cleaned_data["role"] != Role.ADMIN and not admins_left.exists():
            messages.error(request, _("Een organisatie heeft minstens één beheerder nodig."))
        else:
            form.save()
            audit.record(org, request.user, "member.role", f"{membership.user} → {membership.role}")
            messages.success(request, _("Rol aangepast."))
    else:
        messages.error(request, _("Kies een geldige rol."))
    return redirect("members", org=org.slug)


@require_POST
@org_view(roles=HR_ROLES)
def start_selfcheck(request: HttpRequest) -> HttpResponse:
    org = request.organisation  # type: ignore[attr-defined]
    job = start_job(org, "selfcheck", {"steps": 5}, user=request.user)
    return redirect("job", org=org.slug, pk=job.pk)


@org_view(roles=HR_ROLES)
def job_page(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(Job.objects.for_org(request.organisation), pk=pk)  # type: ignore[attr-defined]
    return render(request, "web/job.html", {"job": job})


@org_view(roles=HR_ROLES)
def job_status(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(Job.objects.for_org(request.organisation), pk=pk)  # type: ignore[attr-defined]
    return JsonResponse(job.as_dict())


@org_view(roles={Role.ADMIN})
def audit_log(request: HttpRequest) -> HttpResponse:
    from koers.organisations.models import AuditEvent

    events = AuditEvent.objects.for_org(current_organisation(request)).select_related("user")[:500]
    return render(request, "web/audit.html", {"events": events})


@org_view(roles={Role.ADMIN})
def organisation_data(request: HttpRequest) -> HttpResponse:
    """Export everything of the organisation, or delete the organisation."""
    from koers.organisations import gdpr

    org = current_organisation(request)
    if request.method == "POST" and request.POST.get("action") == "export":
        audit.record(org, request.user, "organisation.export")
        response = HttpResponse(gdpr.export_organisation(org), content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="koers-{org.slug}.zip"'
        return response
    error = ""
    if request.method == "POST" and request.POST.get("action") == "delete":
        if request.POST.get("confirm_name", "").strip() == org.name:
            gdpr.delete_organisation(org)
            messages.success(request, _("De organisatie en al haar gegevens zijn verwijderd."))
            return redirect("home")
        error = _("Typ de naam van de organisatie precies over om te bevestigen.")
    return render(
        request, "web/organisation_data.html", {"error": error}, status=400 if error else 200
    )
