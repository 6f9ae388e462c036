"""The selection funnel pages: upload an applicant file, read its funnel by gender."""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from koers.organisations import audit
from koers.organisations.access import OrgRequest, org_view
from koers.recruitment.forms import ApplicantUploadForm
from koers.recruitment.models import ApplicantImport
from koers.recruitment.services import funnel_of, import_applicants
from koers.stats.funnel import Transition

# The default stages in the page's language (an organisation's own stages keep their names).
STAGE_WORDS = {
    "applied": gettext_lazy("gesolliciteerd"),
    "screened": gettext_lazy("geselecteerd"),
    "interviewed": gettext_lazy("gesprek"),
    "offered": gettext_lazy("aanbod"),
    "hired": gettext_lazy("aangenomen"),
}


def named(transitions: Sequence[Transition]) -> list[tuple[Transition, str, str]]:
    return [
        (t, str(STAGE_WORDS.get(t.start, t.start)), str(STAGE_WORDS.get(t.end, t.end)))
        for t in transitions
    ]


@org_view("recruitment.view")
def funnel_page(request: OrgRequest) -> HttpResponse:
    org = request.organisation
    imports = list(ApplicantImport.objects.for_org(org))
    chosen = imports[0] if imports else None
    wanted = request.GET.get("bestand")
    if wanted:
        chosen = next((i for i in imports if str(i.pk) == wanted), None)
        if chosen is None:
            raise Http404
    context = {"imports": imports, "chosen": chosen}
    if chosen is not None:
        funnel = funnel_of(chosen)
        context["steps"] = named(funnel.transitions)
        context["overall"] = named([funnel.overall])
        context["families"] = [
            (family, named(steps), f"funnel-family-{i}")
            for i, (family, steps) in enumerate(funnel.by_job_family.items(), start=1)
        ]
        applicants = funnel.overall
        total = applicants.female.n + applicants.male.n
        context["women_share_of_applicants"] = applicants.female.n / total * 100 if total else None
        audit.record(org, request.user, "recruitment.view", target=chosen.filename)
    return render(request, "recruitment/funnel.html", context)


@org_view("recruitment.manage")
def upload(request: OrgRequest) -> HttpResponse:
    org = request.organisation
    form = ApplicantUploadForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        result = import_applicants(
            org,
            data["file"].read(),
            data["file"].name,
            stages=data["stages"],
            labour_market_share=data["labour_market_share"],
            labour_market_source=data["labour_market_source"],
            user=request.user,
        )
        if result.upload is not None:
            audit.record(org, request.user, "recruitment.import", target=result.upload.filename)
            messages.success(
                request,
                _("%(n)s kandidaten ingelezen uit %(file)s.")
                % {"n": result.upload.n_rows, "file": result.upload.filename},
            )
            url = reverse("recruitment_funnel", kwargs={"org": org.slug})
            return redirect(f"{url}?bestand={result.upload.pk}")
        problems = result.problems
    return render(request, "recruitment/upload.html", {"form": form, "problems": problems})
