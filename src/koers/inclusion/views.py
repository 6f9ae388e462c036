"""The inclusion results page for HR and the diversity lead (roles admin and HR analyst), and
the summary for the works council and all employees (also behind a public link)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from koers.inclusion import results, services, summary
from koers.lib import hooks, ratelimit
from koers.organisations import audit
from koers.organisations.access import OrgRequest, can, org_view
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


def _flexibility(request: OrgRequest, context: dict[str, Any]) -> hooks.FlexibilityGrants | None:
    """The fair-flexibility register's grant rates for the year the shown round closed,
    next to the fair-flexibility scale (through the hook: the register is another app's)."""
    campaign = context.get("campaign")
    if context.get("latest") is None or campaign is None:
        return None
    on = campaign.closed_on or campaign.closes_on or campaign.opens_on
    if not can(request, "dialogue.view_flexibility"):
        return None
    for implementation in hooks.flexibility_grants.implementations():
        found = implementation(request.organisation, on)
        if found is not None:
            return found
    return None


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
    context["flexibility"] = _flexibility(request, context)
    context["k"] = settings.KOERS_MIN_GROUP_SIZE
    return render(request, "inclusion/results.html", context)


# --- the summary for the works council and all employees ---------------------------------


def _public_url(request: HttpRequest, secret: str | None) -> str:
    if not secret:
        return ""
    return request.build_absolute_uri(reverse("inclusion_summary_public", kwargs={"token": secret}))


@never_cache
@org_view("inclusion.view_summary")
def summary_page(request: OrgRequest) -> HttpResponse:
    """The summary, and its public link (HR switches it on or off; the works council sees it)."""
    org = request.organisation
    context = summary.build_summary(org)
    link = summary.link_of(org)
    context["public_link"] = _public_url(request, summary.link_secret(link))
    context["link"] = link
    audit.record(org, request.user, "inclusion.view_summary")
    return render(request, "inclusion/summary.html", context)


@never_cache
@require_POST
@org_view("inclusion.manage_summary_link")
def summary_link(request: OrgRequest) -> HttpResponse:
    org = request.organisation
    action = request.POST.get("action")
    if action == "on":
        summary.enable_link(org)
        audit.record(org, request.user, "inclusion summary: new public link")
        messages.success(
            request,
            _("De samenvatting heeft een nieuwe openbare link; een eerdere link werkt niet meer."),
        )
    elif action == "off":
        summary.disable_link(org)
        audit.record(org, request.user, "inclusion summary: public link off")
        messages.success(request, _("De openbare link werkt niet meer."))
    return redirect("inclusion_summary", org=org.slug)


@never_cache
def summary_public(request: HttpRequest, token: str) -> HttpResponse:
    """The summary for employees without an account: only while HR keeps the link on."""
    if ratelimit.too_many_failures(request):
        return ratelimit.refused(request)
    link = summary.find_link(token)
    if link is None:
        ratelimit.record_failure(request)
        return render(request, "inclusion/summary_unknown.html", status=404)
    context = summary.build_summary(link.organisation)
    context["public"] = True
    context["organisation_name"] = link.organisation.name
    response = render(request, "inclusion/summary_public.html", context)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
