"""Appraisal parity pages: import a round of appraisals, compare women and men."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from koers.organisations import audit
from koers.organisations.access import OrgRequest, org_view
from koers.recruitment.appraisals import comparisons_of, import_appraisals
from koers.recruitment.forms import AppraisalUploadForm
from koers.recruitment.models import AppraisalRound

MEASURES = {
    "rating": gettext_lazy("Beoordeling, binnen hetzelfde functieniveau"),
    "rating_at_equal_text": gettext_lazy("Beoordeling bij een even sterke tekst"),
    "words": gettext_lazy("Lengte van de tekst (woorden)"),
    "personality": gettext_lazy("Woorden over persoonlijkheid (per 100 woorden)"),
    "achievement": gettext_lazy("Woorden over resultaten (per 100 woorden)"),
    "result_share": gettext_lazy("Zinnen gekoppeld aan een resultaat (aandeel)"),
    "doubt": gettext_lazy("Twijfelwoorden (per 100 woorden)"),
}
WITHIN = {
    "level": gettext_lazy("zelfde functieniveau"),
    "reviewer_level": gettext_lazy("zelfde beoordelaar en niveau"),
}
LABELS = {
    "difference": gettext_lazy("verschil"),
    "no_difference": gettext_lazy("geen aantoonbaar verschil"),
    "too_little_data": gettext_lazy("te weinig gegevens"),
}


@org_view("recruitment.view")
def appraisals_page(request: OrgRequest) -> HttpResponse:
    org = request.organisation
    rounds = list(AppraisalRound.objects.for_org(org))
    chosen = rounds[0] if rounds else None
    wanted = request.GET.get("ronde")
    if wanted:
        chosen = next((r for r in rounds if str(r.pk) == wanted), None)
        if chosen is None:
            raise Http404
    context: dict[str, object] = {"rounds": rounds, "chosen": chosen}
    if chosen is not None:
        result = comparisons_of(chosen, settings.KOERS_MIN_GROUP_SIZE)
        context["result"] = result
        context["rows"] = [
            (c, MEASURES[c.measure], WITHIN[c.within], LABELS[c.label]) for c in result.comparisons
        ]
        context["k"] = settings.KOERS_MIN_GROUP_SIZE
        audit.record(org, request.user, "recruitment.appraisals_view", target=chosen.name)
    return render(request, "recruitment/appraisals.html", context)


@org_view("recruitment.manage")
def appraisal_upload(request: OrgRequest) -> HttpResponse:
    org = request.organisation
    form = AppraisalUploadForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        result = import_appraisals(
            org,
            data["file"].read(),
            data["file"].name,
            name=data["name"],
            keep_texts=data["keep_texts"],
            user=request.user,
        )
        if result.round is not None:
            audit.record(
                org, request.user, "recruitment.appraisals_import", target=result.round.name
            )
            messages.success(
                request,
                _("%(n)s beoordelingen ingelezen uit %(file)s.")
                % {"n": result.round.n_rows, "file": result.round.filename},
            )
            url = reverse("recruitment_appraisals", kwargs={"org": org.slug})
            return redirect(f"{url}?ronde={result.round.pk}")
        problems = result.problems
    return render(
        request, "recruitment/appraisal_upload.html", {"form": form, "problems": problems}
    )
