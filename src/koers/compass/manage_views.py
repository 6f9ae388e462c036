"""HR, manager and researcher pages: shared reports, the team scan, the profile check page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from koers.compass import checks, releases, teamscan
from koers.compass.fitting import MIN_ROWS_TO_FIT, can_fit
from koers.compass.models import ProfileModel, ReportShare
from koers.compass.profiles import load_profiles
from koers.compass.report import build_context
from koers.compass.services import usable_count
from koers.jobs import downloads
from koers.jobs.services import start_job
from koers.lib.language import current_language
from koers.lib.pdf import PRINT_STYLES, render_pdf
from koers.organisations import audit
from koers.organisations.access import OrgRequest, can, org_view
from koers.surveys.models import Campaign


def sees_statistics(request: OrgRequest) -> bool:
    """Whether this member gets the researchers' statistics of the check page."""
    return can(request, "compass.view_statistics")


def _campaign(request: OrgRequest, pk: int) -> Campaign:
    campaign: Campaign = get_object_or_404(Campaign.objects.for_org(request.organisation), pk=pk)
    return campaign


@org_view("compass.view_shared_reports")
def shared_reports(request: OrgRequest) -> HttpResponse:
    shares = ReportShare.objects.filter(
        user_id=int(request.user.pk or 0),
        response__campaign__organisation=request.organisation,
    ).select_related("response__campaign")
    return render(request, "compass/shared_list.html", {"shares": shares})


@org_view("compass.view_shared_reports")
def shared_report(request: OrgRequest, pk: int) -> HttpResponse:
    # Only the person the respondent chose: another HR analyst of the same organisation gets 404.
    share = get_object_or_404(
        ReportShare.objects.select_related("response__campaign"),
        pk=pk,
        user_id=int(request.user.pk or 0),
        response__campaign__organisation=request.organisation,
    )
    audit.record(request.organisation, request.user, "report.view_shared", share.pk)
    context = build_context(share.response, current_language(), reader="hr")
    context["shared_view"] = True
    return render(request, "compass/report_shared.html", context)


def _filters(request: OrgRequest) -> list[tuple[str, str]]:
    """Filters from the form's choices ``g1``, ``g2`` (``name:value``) or ``f<i>``/``v<i>``."""
    pairs = []
    for i in (1, 2, 3):
        name, value = request.GET.get(f"f{i}", ""), request.GET.get(f"v{i}", "")
        choice = request.GET.get(f"g{i}", "")
        if choice and ":" in choice:
            name, value = choice.split(":", 1)
        if name and value:
            pairs.append((name, value))
    return pairs


def _release_info(loaded: releases.Loaded) -> dict[str, Any]:
    latest = loaded.latest
    return {
        "release": latest,
        "n_release": len(loaded.frame),
        "n_pending": loaded.n_pending,
        "n_to_go": max(0, loaded.k - loaded.n_pending),
        "breakdowns": loaded.breakdowns,
    }


def _scan_context(request: OrgRequest, campaign: Campaign, action: str) -> dict[str, Any]:
    """The team scan page or PDF; the audit log gets the filters asked for (``action``)."""
    lang = current_language()
    filters = _filters(request)
    loaded = releases.load(campaign)
    model = ProfileModel.objects.filter(campaign=campaign).order_by("-version").first()
    context = teamscan.build_context(
        loaded.frame,
        discloser=loaded.discloser,
        filters=filters,
        language=lang,
        breakdowns=loaded.breakdowns,
        labels=teamscan.value_labels(campaign.instrument(), lang),
        separated=None if model is None else [str(n.get("key") or "") for n in model.names],
    )
    audit.record(
        campaign.organisation,
        request.user,
        action,
        campaign,
        {
            "filters": [list(pair) for pair in filters],
            "release": loaded.latest.number if loaded.latest else None,
        },
    )
    return {
        "campaign": campaign,
        "scan": context,
        "whole": context["whole"],
        "group": context["group"],
        "filter_names": [(k, v[0] if lang == "nl" else v[1]) for k, v in teamscan.FILTERS.items()],
        "k": settings.KOERS_MIN_GROUP_SIZE,
        "selected": (context["selected"] + ["", ""])[:2],
        "model": model,
        **_release_info(loaded),
    }


@org_view("compass.view_teamscan")
def campaign_scan(request: OrgRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    return render(
        request, "compass/team_scan.html", _scan_context(request, campaign, "teamscan.view")
    )


@require_POST
@org_view("compass.view_teamscan")
def campaign_scan_pdf(request: OrgRequest, pk: int) -> HttpResponse:
    """Start the team scan PDF as a background job (koers.jobs.downloads)."""
    campaign = _campaign(request, pk)
    back = reverse("compass_scan", kwargs={"org": request.organisation.slug, "pk": campaign.pk})
    query = request.GET.urlencode()
    return downloads.start(
        request, "compass.teamscan", {"campaign": campaign.pk}, back=f"{back}?{query}"
    )


def build_scan_pdf(
    request: OrgRequest, args: dict[str, Any], progress: Callable[[int, str], None]
) -> tuple[bytes, str]:
    """The team scan PDF, in a background job (registered as "compass.teamscan")."""
    campaign = _campaign(request, int(args["campaign"]))
    context = _scan_context(request, campaign, "teamscan.pdf")
    progress(15, _("Rapport samengesteld"))
    pdf = render_pdf(
        "compass/team_scan_print.html", context, stylesheets=PRINT_STYLES, progress=progress
    )
    return pdf, f"teamscan-{campaign.pk}.pdf"


@org_view("compass.fit_profiles")
def campaign_profiles(request: OrgRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    model = ProfileModel.objects.filter(campaign=campaign).order_by("-version").first()
    lang = current_language()
    statistics = sees_statistics(request)
    n_finished = campaign.responses.filter(finished_on__isnull=False).count()
    loaded = releases.load(campaign)
    audit.record(
        campaign.organisation,
        request.user,
        "profiles.view",
        campaign,
        {"release": loaded.latest.number if loaded.latest else None},
    )
    facts = (
        teamscan.profile_facts(loaded.frame, discloser=loaded.discloser, language=lang)
        if model is not None and statistics
        else []
    )
    return render(
        request,
        "compass/profiles_check.html",
        {
            "campaign": campaign,
            "model": model,
            "statistics": statistics,
            **checks.model_context(model, lang),
            "reference": [
                {"name": p.name[lang], "share": p.share, "percent": round(100 * p.share)}
                for p in load_profiles().profiles
            ],
            "n_finished": n_finished,
            "facts": facts,
            "reliability": _reliability(campaign, loaded, lang) if statistics else [],
            "min_rows": MIN_ROWS_TO_FIT,
            "demo": checks.is_demo(campaign),
            "k": settings.KOERS_MIN_GROUP_SIZE,
            **_release_info(loaded),
        },
    )


@require_POST
@org_view("compass.fit_profiles")
def campaign_fit(request: OrgRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    usable = usable_count(campaign)
    if not can_fit(usable):
        messages.error(
            request,
            _(
                "Een eigen profielmodel schatten kan vanaf %(n)d bruikbare antwoorden; deze "
                "campagne heeft er %(have)d. Tot die tijd krijgen respondenten hun profiel uit "
                "het referentiemodel."
            )
            % {"n": MIN_ROWS_TO_FIT, "have": usable},
        )
        return redirect("compass_profiles", org=campaign.organisation.slug, pk=pk)
    job = start_job(
        campaign.organisation, "compass.fit_model", {"campaign_id": campaign.pk}, user=request.user
    )
    return redirect("job", org=campaign.organisation.slug, pk=job.pk)


def _reliability(
    campaign: Campaign, loaded: releases.Loaded, language: str
) -> list[dict[str, Any]]:
    """Cronbach's alpha and McDonald's omega per scale on the latest release's responses.

    A scale's row is shown only when the release shows a figure over its complete cases (the
    rows alpha is computed on): the same rule as every other figure of the campaign. The
    table is computed once per release and set of members (``koers.compass.reliability``).
    """
    from koers.compass import reliability

    if loaded.latest is None:
        return []
    instrument = campaign.instrument()
    ids = [int(i) for i in loaded.frame.index]
    table = reliability.for_release(campaign, loaded.latest, ids)
    rows = []
    for scale in instrument.scales:
        if not loaded.discloser.shows(((teamscan.complete(scale.id), "1"),)):
            continue
        row = table[scale.id]
        rows.append({"label": scale.label.get(language), "kind": scale.kind, **row})
    return rows
