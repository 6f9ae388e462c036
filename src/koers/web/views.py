"""Home, the organisation dashboard and member management."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from koers.jobs.models import Job
from koers.jobs.services import start_job
from koers.organisations import audit
from koers.organisations.access import OrgRequest, can, org_view, organisations_of
from koers.organisations.models import Membership, Role
from koers.programme.access import programmes_of
from koers.web.forms import RoleForm
from koers.web.overview import hr_overview


def home(request: HttpRequest) -> HttpResponse:
    orgs = organisations_of(request.user)
    programmes = programmes_of(request.user)
    if len(orgs) == 1 and not programmes:
        return redirect("dashboard", org=orgs[0].slug)
    projects = getattr(request.user, "research_projects", None)
    if not orgs and not programmes and projects is not None and projects.exists():
        return redirect("research_projects")  # a researcher's home
    return render(request, "web/home.html", {"organisations": orgs, "programmes": programmes})


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "web/privacy.html")


def healthz(request: HttpRequest) -> HttpResponse:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@org_view("organisation.view")
def dashboard(request: OrgRequest) -> HttpResponse:
    # HR's home: the state of the organisation (latest baseline, open work, next steps).
    overview = hr_overview(request.organisation) if can(request, "scan.manage") else None
    return render(request, "web/dashboard.html", {"overview": overview})


@org_view("members.manage")
def members(request: OrgRequest) -> HttpResponse:
    from koers.web.member_views import members_page

    return members_page(request)


@require_POST
@org_view("members.manage")
def change_role(request: OrgRequest, pk: int) -> HttpResponse:
    org = request.organisation
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
@org_view("jobs.view")
def start_selfcheck(request: OrgRequest) -> HttpResponse:
    org = request.organisation
    job = start_job(org, "selfcheck", {"steps": 5}, user=request.user)
    return redirect("job", org=org.slug, pk=job.pk)


@org_view("jobs.view")
def job_page(request: OrgRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(Job.objects.for_org(request.organisation), pk=pk)
    return render(request, "web/job.html", {"job": job})


@org_view("jobs.view")
def job_status(request: OrgRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(Job.objects.for_org(request.organisation), pk=pk)
    return JsonResponse(job.as_dict())


@org_view("organisation.manage_data")
def organisation_data(request: OrgRequest) -> HttpResponse:
    """Export everything of the organisation, or delete the organisation."""
    from koers.organisations import gdpr

    org = request.organisation
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
