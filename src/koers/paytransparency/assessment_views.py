"""The pay transparency desk, Art. 10: the joint pay assessment of each flagged category
(list, opening, detail with the workbook, editing) and what closing the gaps costs
(remediation and the employer charges HR sets).

The desk's day is :func:`koers.paytransparency.views.today`, called through its module so that
setting it there (as tests do) sets it here too.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from koers.organisations import audit
from koers.organisations.access import OrgRequest, can, org_view
from koers.paytransparency import services, views
from koers.paytransparency.forms import (
    FACTOR_LABELS,
    AssessmentForm,
    ChargesForm,
    OpenAssessmentForm,
)
from koers.paytransparency.models import PayAssessment
from koers.paytransparency.report import flagged_categories
from koers.paytransparency.workbook import (
    evaluation,
    leave_rise_rows,
    remediation_overview,
    rule_cells,
)
from koers.stats.disclosure import Discloser
from koers.stats.remediation import RULES


def _flagged(request: OrgRequest) -> list[dict[str, Any]]:
    org = request.organisation
    snapshot = services.current_snapshot(org)
    if snapshot is None:
        return []
    hr = can(request, "scan.view_all_figures")
    k = settings.KOERS_MIN_GROUP_SIZE
    mapping = services.category_of(org)
    return services.kept(
        snapshot,
        ("flagged", hr, k, sorted(mapping.items())),
        lambda: flagged_categories(
            snapshot.frame(), snapshot.reference_date, Discloser(hr, k), mapping=mapping
        ),
    )


@org_view("paytransparency.view")
def assessments(request: OrgRequest) -> HttpResponse:
    org = request.organisation
    day = views.today()
    opened = {a.category: a for a in PayAssessment.objects.for_org(org)}
    rows = [
        (c, opened.get(c["category"]), OpenAssessmentForm(initial={"category": c["category"]}))
        for c in _flagged(request)
    ]
    return render(
        request,
        "paytransparency/assessments.html",
        {"rows": rows, "today": day, "scheme": services.current_scheme(org)},
    )


@org_view("paytransparency.manage")
def assessment_open(request: OrgRequest) -> HttpResponse:
    org = request.organisation
    form = OpenAssessmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        flagged = {c["category"] for c in _flagged(request)}
        category = form.cleaned_data["category"]
        if category in flagged:
            scheme = services.current_scheme(org)
            item, _created = PayAssessment.objects.get_or_create(
                organisation=org,
                category=category,
                report_date=form.cleaned_data["report_date"],
                defaults={"scheme_version": scheme.version if scheme else None},
            )
            audit.record(org, request.user, "paytransparency.assessment", target=category)
            return redirect("paytransparency_assessment", org=org.slug, pk=item.pk)
    return redirect("paytransparency_assessments", org=org.slug)


def _discloser(request: OrgRequest) -> Discloser:
    return Discloser(can(request, "scan.view_all_figures"), settings.KOERS_MIN_GROUP_SIZE)


@org_view("paytransparency.view")
def assessment_detail(request: OrgRequest, pk: int) -> HttpResponse:
    org = request.organisation
    item = get_object_or_404(PayAssessment.objects.for_org(org), pk=pk)
    figures = next((c for c in _flagged(request) if c["category"] == item.category), None)
    day = views.today()
    # The workbook's figures only for a category the viewer may see (flagged_categories
    # leaves out categories under k women or men outside HR).
    snapshot = services.current_snapshot(org) if figures else None
    workbook = services.assessment_figures(org, item, snapshot) if figures else None
    d = _discloser(request)
    if workbook is not None:
        workbook["cells"] = rule_cells(workbook["remediation"], d)
    lines = services.category_measures(org, item.category)
    dates = services.snapshot_dates(org)
    compare = services.leave_comparison_day(snapshot, dates)
    history = services.snapshot_history(org, services.needed_days(org, lines, dates) | compare)
    mapping = services.category_of(org)
    leave = services.assessment_leave_rise(snapshot, history, item.category, mapping)
    indicator = services.plan_indicator(item.category)
    return render(
        request,
        "paytransparency/assessment.html",
        {
            "item": item,
            "figures": figures,
            "past_deadline": day > item.deadline,
            "workbook": workbook,
            "factor_labels": FACTOR_LABELS,
            "factors_named": [FACTOR_LABELS.get(f, f) for f in item.factors],
            "charges_pct": services.desk_settings(org).employer_charges_pct,
            "evaluation": evaluation(lines, history, item.category, mapping, d),
            "leave": leave,
            "leave_rows": leave_rise_rows(leave, d) if leave is not None else None,
            "d_hr": d.hr,
            "k": d.k,
            "plan_query": urlencode(
                {
                    "titel": _("Loonkloof %(c)s dichten") % {"c": item.category},
                    "indicator": indicator,
                }
            ),
            "indicator": indicator,
        },
    )


@org_view("paytransparency.manage")
def assessment_edit(request: OrgRequest, pk: int) -> HttpResponse:
    org = request.organisation
    item = get_object_or_404(PayAssessment.objects.for_org(org), pk=pk)
    form = AssessmentForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        form.save()
        audit.record(org, request.user, "paytransparency.assessment_edit", target=item.category)
        return redirect("paytransparency_assessment", org=org.slug, pk=item.pk)
    return render(request, "paytransparency/assessment_edit.html", {"form": form, "item": item})


@org_view("paytransparency.view")
def remediation(request: OrgRequest) -> HttpResponse:
    org = request.organisation
    snapshot = services.current_snapshot(org)
    desk = services.desk_settings(org)
    overview = None
    if snapshot is not None:
        factors = {a.category: list(a.factors) for a in PayAssessment.objects.for_org(org)}
        default = PayAssessment._meta.get_field("factors").get_default()
        categories = [
            (c["category"], factors.get(c["category"], default)) for c in _flagged(request)
        ]
        mapping = services.category_of(org)
        charges = float(desk.employer_charges_pct)
        d = _discloser(request)
        overview = services.kept(
            snapshot,
            ("remediation", categories, sorted(mapping.items()), charges, d.hr, d.k),
            lambda: remediation_overview(
                snapshot.frame(), snapshot.reference_date, categories, mapping, charges, d
            ),
        )
    return render(
        request,
        "paytransparency/remediation.html",
        {
            "overview": overview,
            "snapshot": snapshot,
            "form": ChargesForm(instance=desk),
            "rules": RULES,
        },
    )


@org_view("paytransparency.manage")
def remediation_charges(request: OrgRequest) -> HttpResponse:
    org = request.organisation
    desk = services.desk_settings(org)
    form = ChargesForm(request.POST or None, instance=desk)
    if request.method == "POST" and form.is_valid():
        form.save()
        audit.record(
            org, request.user, "paytransparency.charges", target=str(desk.employer_charges_pct)
        )
        return redirect("paytransparency_remediation", org=org.slug)
    return render(request, "paytransparency/charges.html", {"form": form})
