"""Action plan pages: recommendations, the plan, an action (add, edit, detail), advice."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from koers.organisations import audit
from koers.organisations.access import OrgRequest, can, org_view
from koers.plan import services
from koers.plan.catalogue import OWNERS, finding_label, load_catalogue
from koers.plan.findings import findings_of
from koers.plan.forms import ActionForm, AdviceForm, CommentForm
from koers.plan.models import Action, ActionChange, ActionComment, WorksCouncilAdvice
from koers.plan.recommend import Recommendations, recommend
from koers.scan.improvement import load_rules

EFFORT_LABELS = {
    "low": gettext_lazy("weinig moeite"),
    "medium": gettext_lazy("gemiddelde moeite"),
    "high": gettext_lazy("veel moeite"),
}
STRENGTH_LABELS = {1.0: gettext_lazy("verbeterpunt"), 0.5: gettext_lazy("signaal")}
FIELD_LABELS = {
    "measure": gettext_lazy("maatregel"),
    "title": gettext_lazy("eigen titel"),
    "owner": gettext_lazy("eigenaar"),
    "start": gettext_lazy("start"),
    "due": gettext_lazy("klaar op"),
    "status": gettext_lazy("status"),
    "budget": gettext_lazy("budget"),
    "indicator": gettext_lazy("indicator"),
    "notes": gettext_lazy("toelichting"),
}


def _lang() -> str:
    return "en" if (get_language() or "nl").startswith("en") else "nl"


def recommendation_rows(result: Recommendations, lang: str) -> list[dict[str, Any]]:
    """What the recommendations page shows of each suggested measure, in ``lang``."""
    reasons = load_rules().reasons
    rows = []
    for item in result.items:
        m = item.measure
        rows.append(
            {
                "id": m.id,
                "title": m.text("title", lang),
                "description": m.text("description", lang),
                "effort": str(EFFORT_LABELS[m.effort]),
                "owner": OWNERS[m.owner][1 if lang == "en" else 0],
                "quote": m.source.quote,
                "source": m.source.file,
                "in_plan": item.in_plan,
                "because": [
                    {
                        "finding": finding_label(b.finding, lang),
                        "strength": str(STRENGTH_LABELS.get(b.strength, "")),
                        "reasons": [reasons[r][lang] for r in b.reasons],
                    }
                    for b in item.because
                ],
            }
        )
    return rows


@org_view("plan.view")
def recommendations(request: OrgRequest) -> HttpResponse:
    org = request.organisation
    found = findings_of(org, full=can(request, "scan.view_all_figures"))
    result = recommend(found.strengths, planned=services.planned_measures(org))
    lang = _lang()
    return render(
        request,
        "plan/recommendations.html",
        {
            "snapshot": found.snapshot,
            "rows": recommendation_rows(result, lang),
            "no_findings": result.no_findings,
            # Strongest first (findings before signals), then by name.
            "findings": sorted(
                (
                    (-s, finding_label(code, lang), str(STRENGTH_LABELS.get(s, "")))
                    for code, s in result.findings.items()
                ),
            ),
            "catalogue": [
                (m.id, m.text("title", lang), str(EFFORT_LABELS[m.effort]))
                for m in load_catalogue().measures
            ],
        },
    )


@org_view("plan.view")
def plan_list(request: OrgRequest) -> HttpResponse:
    org = request.organisation
    day = services.today()
    lang = _lang()
    actions = [(a, a.display_title(lang), a.is_late(day)) for a in Action.objects.for_org(org)]
    return render(
        request,
        "plan/list.html",
        {
            "actions": actions,
            "n_late": sum(late for _a, _t, late in actions),
            "advice": WorksCouncilAdvice.objects.for_org(org)[:5],
        },
    )


def _edit(request: OrgRequest, action: Action) -> HttpResponse:
    org = request.organisation
    initial: dict[str, str] = {}
    if action.pk is None and request.GET.get("maatregel") in load_catalogue().ids():
        initial["measure"] = request.GET["maatregel"]
    if action.pk is None:
        # Another app's finding ("Maatregel in het plan van aanpak zetten") prefills the
        # title and the indicator it follows (koers.paytransparency's evaluation reads it).
        for name, field in (("titel", "title"), ("indicator", "indicator")):
            if request.GET.get(name):
                initial[field] = request.GET[name][:200]
    form = ActionForm(request.POST or None, instance=action, initial=initial)
    if request.method == "POST" and form.is_valid():
        is_new = action.pk is None
        saved = services.save_action(org, action, form.cleaned_data, request.user)
        audit.record(org, request.user, "plan.add" if is_new else "plan.change", target=str(saved))
        messages.success(request, _("De actie is opgeslagen."))
        return redirect("plan_action", org=org.slug, pk=saved.pk)
    return render(request, "plan/edit.html", {"form": form, "action": action})


@org_view("plan.manage")
def action_new(request: OrgRequest) -> HttpResponse:
    return _edit(request, Action(organisation=request.organisation))


@org_view("plan.manage")
def action_edit(request: OrgRequest, pk: int) -> HttpResponse:
    return _edit(request, get_object_or_404(Action.objects.for_org(request.organisation), pk=pk))


@org_view("plan.view")
def action_detail(request: OrgRequest, pk: int) -> HttpResponse:
    org = request.organisation
    action = get_object_or_404(Action.objects.for_org(org), pk=pk)
    lang = _lang()
    measure = load_catalogue().get(action.measure)
    history = [
        (change, [(FIELD_LABELS.get(f, f), old, new) for f, old, new in change.changes])
        for change in ActionChange.objects.for_org(org).filter(action=action).select_related("user")
    ]
    return render(
        request,
        "plan/detail.html",
        {
            "action": action,
            "title": action.display_title(lang),
            "late": action.is_late(services.today()),
            "measure": measure,
            "measure_description": measure.text("description", lang) if measure else "",
            "comments": ActionComment.objects.for_org(org)
            .filter(action=action)
            .select_related("author"),
            "history": history,
            "form": CommentForm(),
        },
    )


@org_view("plan.manage")
@require_POST
def action_comment(request: OrgRequest, pk: int) -> HttpResponse:
    org = request.organisation
    action = get_object_or_404(Action.objects.for_org(org), pk=pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        services.add_comment(action, form.cleaned_data["text"], request.user)
        messages.success(request, _("Je reactie is geplaatst."))
    else:
        messages.error(request, _("Een lege reactie is niet geplaatst."))
    return redirect("plan_action", org=org.slug, pk=action.pk)


@org_view("plan.advise")
def advice_new(request: OrgRequest) -> HttpResponse:
    org = request.organisation
    form = AdviceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.record_advice(org, data["text"], data["given_on"], data["given_by"], request.user)
        audit.record(org, request.user, "plan.advice")
        messages.success(request, _("Het advies is vastgelegd."))
        return redirect("plan_list", org=org.slug)
    return render(request, "plan/advice.html", {"form": form})
