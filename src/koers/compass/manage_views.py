"""HR, manager and researcher pages: shared reports, the team scan, the profile check page."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from koers.compass.models import ProfileModel, ReportShare
from koers.compass.pdf import render_pdf
from koers.compass.profiles import FITTED_MIN_ROWS, load_profiles
from koers.compass.report import build_context
from koers.compass.scan import FILTERS, describe, team_scan
from koers.jobs.services import start_job
from koers.lib.language import current_language
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


def _scan_context(request: HttpRequest, campaign: Campaign) -> dict[str, Any]:
    lang = current_language()
    scan = team_scan(campaign, _filters(request))
    return {
        "campaign": campaign,
        "scan": scan,
        "whole": describe(scan.whole, lang),
        "group": describe(scan.group, lang),
        "filter_names": [(k, v[0] if lang == "nl" else v[1]) for k, v in FILTERS.items()],
        "k": settings.KOERS_MIN_GROUP_SIZE,
        "selected": scan.filters + [("", "")] * (2 - len(scan.filters)),
    }


@org_view(roles=SCAN_ROLES)
def campaign_scan(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    audit.record(campaign.organisation, request.user, "teamscan.view", campaign)
    return render(request, "compass/team_scan.html", _scan_context(request, campaign))


@org_view(roles=SCAN_ROLES)
def campaign_scan_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    audit.record(campaign.organisation, request.user, "teamscan.pdf", campaign)
    pdf = render_pdf("compass/team_scan_print.html", _scan_context(request, campaign))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="teamscan-{pk}.pdf"'
    return response


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
    facts = _profile_facts(campaign, lang) if model is not None else []
    reliability = (
        _reliability(campaign, lang) if n_finished >= settings.KOERS_MIN_GROUP_SIZE else []
    )
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


def _profile_facts(campaign: Campaign, language: str) -> list[dict[str, Any]]:
    """Per fitted profile (groups of at least k only): identification and wish to leave,
    beside what the Mind the Gap report found for the profile of the same name."""
    from koers.compass.profiles import REPORT_IDENTIFICATION_RANK, REPORT_LEAVE_SHARE
    from koers.compass.scan import population

    k = settings.KOERS_MIN_GROUP_SIZE
    frame = population(campaign)
    profiles = load_profiles()
    rows = []
    for key, group in frame.groupby("profile"):
        if len(group) < k:
            continue
        in_tech = group[group["sector"] == "technical"]
        name = profiles.get(str(key)).name[language] if key in profiles.keys else str(key)
        rows.append(
            {
                "name": name,
                "n": len(group),
                "identification": float(group["identification"].mean()),
                "leave": (
                    float((in_tech["future_sector"] == "non_technical").mean())
                    if len(in_tech) >= k
                    else None
                ),
                "report_leave": REPORT_LEAVE_SHARE.get(str(key)),
                "report_rank": REPORT_IDENTIFICATION_RANK.get(str(key)),
            }
        )
    return sorted(rows, key=lambda r: -r["identification"])


def _reliability(campaign: Campaign, language: str) -> list[dict[str, Any]]:
    """Cronbach's alpha and McDonald's omega per scale on the campaign's finished responses."""
    import math

    from koers.compass.services import answers_frame
    from koers.instruments import scoring_key
    from koers.stats.scales import scale_reliability

    instrument = campaign.instrument()
    responses = list(campaign.responses.filter(finished_on__isnull=False))
    table = scale_reliability(answers_frame(responses, instrument), scoring_key(instrument))
    rows = []
    for scale in instrument.scales:
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
