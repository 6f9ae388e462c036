"""The inclusion results page for HR and the diversity lead (roles admin and HR analyst)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from koers.inclusion import results, services
from koers.organisations import audit
from koers.organisations.access import OrgRequest, org_view
from koers.plan.catalogue import load_catalogue

MEASURES_PER_SCALE = 3

THEME_LABELS = {
    "flexibility": _("Flexibiliteit en werktijden"),
    "work_family": _("Zorg, gezin en verlof"),
    "culture": _("Cultuur en sfeer"),
    "careers": _("Beoordeling, salaris en loopbaan"),
    "voice": _("Gehoord worden en veiligheid"),
    "belonging": _("Erbij horen"),
    "leadership": _("Leidinggevenden"),
    "development": _("Ontwikkeling"),
}
OPEN_LABELS = {
    "open_change": _("Wat moet er veranderen?"),
    "open_moment": _("Een moment van je (niet) thuis voelen"),
    "open_other": _("Verder nog iets"),
}
BREAKDOWN_LABELS = {"function_type": _("Per functietype"), "department": _("Per afdeling")}


def _labelled(context: dict[str, Any], language: str) -> None:
    """Put the instrument's labels (in the page's language) next to the ids."""
    instrument = context["instrument"]
    scale_label = {s.id: s.label.get(language) for s in instrument.scales}
    latest = context["latest"]
    for row in [*latest["scales"], *latest["reliability"], *context["trend"]]:
        row["label"] = scale_label.get(row["scale"], row["scale"])
    for row in latest["items"]:
        row["text"] = instrument.item(row["item"]).text.get(language)
        row["label"] = scale_label.get(row["scale"], row["scale"])
    function_type = {
        o.value: o.label.get(language) for o in instrument.item("function_type").options
    }
    for column, cells in latest["breakdowns"].items():
        for cell in cells:
            cell["label"] = (
                function_type.get(cell["value"], cell["value"])
                if column == "function_type"
                else cell["value"]
            )
            for row in cell.get("scales", []):
                row["label"] = scale_label.get(row["scale"], row["scale"])
    # Each scale clearly worse for women: the catalogue's measures for its leaving reasons.
    catalogue = load_catalogue()
    for row in latest["scales"]:
        reasons = set(results.REASONS_OF_SCALE.get(row["scale"], ()))
        if row.get("worse_for_women") and reasons:
            row["measures"] = [
                m.text("title", language) for m in catalogue.measures if reasons & set(m.reasons)
            ][:MEASURES_PER_SCALE]
    latest["with_measures"] = [row for row in latest["scales"] if row.get("measures")]
    latest["breakdown_list"] = [
        (BREAKDOWN_LABELS[c], cells) for c, cells in latest["breakdowns"].items()
    ]
    for question in latest["open"]:
        question["label"] = OPEN_LABELS.get(question["item"], question["item"])
        for theme in question.get("themes", []):
            theme["label"] = THEME_LABELS.get(theme["theme"], theme["theme"])


@org_view("inclusion.view_results")
def results_page(request: OrgRequest) -> HttpResponse:
    org = request.organisation
    campaigns = services.rounds_of(org)
    upto = None
    wanted = request.GET.get("ronde")
    if wanted:
        upto = next((c for c in campaigns if str(c.pk) == wanted), None)
        if upto is None:
            raise Http404
    context = services.results_context(org, upto)
    if context["latest"] is not None:
        _labelled(context, (get_language() or "nl")[:2])
        audit.record(org, request.user, "inclusion.view_results", context["campaign"])
    context["chosen"] = upto
    context["k"] = settings.KOERS_MIN_GROUP_SIZE
    return render(request, "inclusion/results.html", context)
