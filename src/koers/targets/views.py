"""Targets pages: the list with progress and what it would take, the target form, sub-top."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from koers.organisations import audit
from koers.organisations.access import OrgRequest, can, org_view
from koers.targets.forms import SubTopForm, TargetForm
from koers.targets.models import SubTopDefinition, Target
from koers.targets.services import (
    assessments,
    latest_subtop_definitions,
    save_subtop_definition,
)


@org_view("targets.view")
def target_list(request: OrgRequest) -> HttpResponse:
    org = request.organisation
    targets = sorted(Target.objects.for_org(org), key=Target.sort_key)
    hr = can(request, "scan.view_all_figures")
    rows = list(zip(targets, assessments(org, targets, hr=hr), strict=True))
    audit.record(org, request.user, "targets.view")
    return render(
        request,
        "targets/list.html",
        {"rows": rows, "hr": hr, "subtops": latest_subtop_definitions(org)},
    )


def _edit(request: OrgRequest, target: Target | None) -> HttpResponse:
    org = request.organisation
    names = [d.name for d in latest_subtop_definitions(org)]
    form = TargetForm(request.POST or None, instance=target, subtop_names=names)
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        saved.organisation = org
        if target is None:
            saved.created_by = request.user  # type: ignore[assignment]
        saved.save()
        audit.record(org, request.user, "targets.save", saved.label())
        messages.success(request, _("Streefcijfer opgeslagen."))
        return redirect("targets_list", org=org.slug)
    return render(request, "targets/form.html", {"form": form, "target": target})


@org_view("targets.manage")
def target_new(request: OrgRequest) -> HttpResponse:
    return _edit(request, None)


@org_view("targets.manage")
def target_edit(request: OrgRequest, pk: int) -> HttpResponse:
    return _edit(request, get_object_or_404(Target.objects.for_org(request.organisation), pk=pk))


@org_view("targets.manage")
def target_delete(request: OrgRequest, pk: int) -> HttpResponse:
    org = request.organisation
    target = get_object_or_404(Target.objects.for_org(org), pk=pk)
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        label = target.label()
        target.delete()
        audit.record(org, request.user, "targets.delete", label)
        messages.success(request, _("Streefcijfer verwijderd."))
        return redirect("targets_list", org=org.slug)
    return render(
        request,
        "confirm.html",
        {
            "title": _("Streefcijfer verwijderen"),
            "question": _("Wil je het streefcijfer voor %(label)s echt verwijderen?")
            % {"label": target.label()},
            "consequences": [_("Dit kan niet ongedaan worden gemaakt.")],
            "action": reverse("targets_delete", kwargs={"org": org.slug, "pk": pk}),
            "confirm_label": _("Ja, verwijder dit streefcijfer"),
            "cancel_url": reverse("targets_list", kwargs={"org": org.slug}),
        },
    )


@org_view("targets.manage")
def subtop(request: OrgRequest) -> HttpResponse:
    org = request.organisation
    initial = {}
    wanted = request.GET.get("naam")
    if wanted:
        latest = next((d for d in latest_subtop_definitions(org) if d.name == wanted), None)
        if latest is not None:
            initial = {
                "name": latest.name,
                "job_levels": ", ".join(latest.job_levels),
                "job_families": ", ".join(latest.job_families),
            }
    form = SubTopForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        definition, created = save_subtop_definition(
            org,
            data["name"],
            data["job_levels"],
            data["job_families"],
            request.user,
            data.get("valid_from"),
        )
        if created:
            audit.record(org, request.user, "targets.subtop", str(definition))
            messages.success(
                request,
                _("Definitie van %(name)s opgeslagen als versie %(v)s.")
                % {"name": definition.name, "v": definition.version},
            )
        else:
            messages.info(request, _("De definitie was al zo; er is geen nieuwe versie gemaakt."))
        return redirect("targets_subtop", org=org.slug)
    definitions = list(SubTopDefinition.objects.for_org(org).order_by("name", "-version"))
    return render(request, "targets/subtop.html", {"form": form, "definitions": definitions})
