"""HR, manager and researcher pages: shared reports, the team scan, the profile check page."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from koers.compass import releases, scan
from koers.compass.models import ProfileModel, ReportShare
from koers.compass.profiles import FITTED_MIN_ROWS, load_profiles
from koers.compass.report import build_context
from koers.jobs.services import start_job
from koers.lib.language import current_language
from koers.lib.pdf import PRINT_STYLES, pdf_response, render_pdf
from koers.organisations import audit
from koers.organisations.access import current_organisation, org_view
from koers.organisations.models import HR_ROLES, Role
from koers.surveys.models import Campaign

SCAN_ROLES = {Role.ADMIN, Role.HR_ANALYST, Role.MANAGER}
MODEL_ROLES = {Role.ADMIN, Role.HR_ANALYST, Role.RESEARCHER}


def _campaign(request: HttpRequest, pk: int) -> Campaign:
    campaign: Campaign = get_object_or_404(
        Campaign.objects.for_org(current_organisation(request)), pk=pk
    )
    return campaign


@org_view(roles=HR_ROLES)
def shared_reports(request: HttpRequest) -> HttpResponse:
    shares = ReportShare.objects.filter(
        user_id=int(request.user.pk or 0),
        response__campaign__organisation=current_organisation(request),
    ).select_related("response__campaign")
    return render(request, "compass/shared_list.html", {"shares": shares})


@org_view(roles=HR_ROLES)
def shared_report(request: HttpRequest, pk: int) -> HttpResponse:
    # Only the person the respondent chose: another HR analyst of the same organisation gets 404.
    share = get_object_or_404(
        ReportShare.objects.select_related("response__campaign"),
        pk=pk,
        user_id=int(request.user.pk or 0),
        response__campaign__organisation=current_organisation(request),
    )
    audit.record(current_organisation(request), request.user, "report.view_shared", share.pk)
    context = build_context(share.response, current_language())
    context["shared_view"] = True
    return render(request, "compass/report_shared.html", context)


def _filters(request: HttpRequest) -> list[tuple[str, str]]:
    pairs = []
    for i in (1, 2, 3):
        name, value = request.GET.get(f"f{i}", ""), request.GET.get(f"v{i}", "")
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


def _scan_context(request: HttpRequest, campaign: Campaign, action: str) -> dict[str, Any]:
    """The team scan page or PDF; the audit log gets the filters asked for (``action``)."""
    lang = current_language()
    filters = _filters(request)
    loaded = releases.load(campaign)
    context = scan.build_context(
        loaded.frame,
        discloser=loaded.discloser,
        filters=filters,
        language=lang,
        breakdowns=loaded.breakdowns,
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
        "filter_names": [(k, v[0] if lang == "nl" else v[1]) for k, v in scan.FILTERS.items()],
        "k": settings.KOERS_MIN_GROUP_SIZE,
        "selected": context["filters"] + [("", "")] * (2 - len(context["filters"][:2])),
        **_release_info(loaded),
    }


@org_view(roles=SCAN_ROLES)
def campaign_scan(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    return render(
        request, "compass/team_scan.html", _scan_context(request, campaign, "teamscan.view")
    )


@org_view(roles=SCAN_ROLES)
def campaign_scan_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    pdf = render_pdf(
        "compass/team_scan_print.html",
        _scan_context(request, campaign, "teamscan.pdf"),
        stylesheets=PRINT_STYLES,
    )
    return pdf_response(pdf, f"teamscan-{pk}.pdf")


@org_view(roles=MODEL_ROLES)
def campaign_profiles(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    model = ProfileModel.objects.filter(campaign=campaign).order_by("-version").first()
    lang = current_language()
    profiles = load_profiles()
    means = []
    if model is not None:
        for i, entry in enumerate(model.names):
            bars = [
                {"facet": facet, "value": value, "percent": min(100.0, abs(value) / 2 * 100)}
                for facet, value in zip(model.facets, model.means[i], strict=True)
            ]
            means.append(
                {
                    "name": entry.get(lang) or entry.get("nl"),
                    "quality": entry.get("quality"),
                    "share": model.weights[i],
                    "bars": bars,
                }
            )
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
        scan.profile_facts(loaded.frame, discloser=loaded.discloser, language=lang)
        if model is not None
        else []
    )
    reliability = _reliability(campaign, loaded, lang)
    return render(
        request,
        "compass/profiles_check.html",
        {
            "campaign": campaign,
            "model": model,
            "means": means,
            "reference": [{"name": p.name[lang], "share": p.share} for p in profiles.profiles],
            "n_finished": n_finished,
            "facts": facts,
            "reliability": reliability,
            "min_rows": FITTED_MIN_ROWS,
            "k": settings.KOERS_MIN_GROUP_SIZE,
            **_release_info(loaded),
        },
    )


@require_POST
@org_view(roles=MODEL_ROLES)
def campaign_fit(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    if campaign.responses.filter(finished_on__isnull=False).count() < FITTED_MIN_ROWS:
        messages.error(
            request,
            _("Een profielmodel schatten kan vanaf %(n)d afgeronde antwoorden.")
            % {"n": FITTED_MIN_ROWS},
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
    rows alpha is computed on): the same rule as every other figure of the campaign.
    """
    import math

    from koers.compass.services import answers_frame
    from koers.instruments import scoring_key
    from koers.stats.scales import scale_reliability

    if not loaded.releases:
        return []
    instrument = campaign.instrument()
    ids = list(loaded.frame.index)
    responses = list(campaign.responses.filter(pk__in=ids))
    table = scale_reliability(answers_frame(responses, instrument), scoring_key(instrument))
    rows = []
    for scale in instrument.scales:
        if not loaded.discloser.shows(((scan.complete(scale.id), "1"),)):
            continue
        row = table.loc[scale.id]
        rows.append(
            {
                "label": scale.label.get(language),
                "kind": scale.kind,
                "n_items": int(row["n_items"]),
                "n": int(row["n_respondents"]),
                "alpha": None if math.isnan(row["alpha"]) else float(row["alpha"]),
                "omega": None if math.isnan(row["omega"]) else float(row["omega"]),
                "flag": bool(row["below_threshold"]),
            }
        )
    return rows
