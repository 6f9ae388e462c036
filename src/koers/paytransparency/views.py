"""The pay transparency desk: Art. 9 report and duty, categories (Art. 4), requests (Art. 7),
pay ranges (Art. 5). The joint pay assessment and remediation (Art. 10) are in
:mod:`koers.paytransparency.assessment_views`."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from koers.lib import pdf
from koers.organisations import audit
from koers.organisations.access import OrgRequest, can, org_view
from koers.paytransparency import services
from koers.paytransparency.clock import notice_due, notice_due_on
from koers.paytransparency.duties import load_rules, reporting_duty
from koers.paytransparency.figures import UnknownWorker
from koers.paytransparency.forms import (
    AgreementForm,
    CategoryBuilderForm,
    PayRangeForm,
    PersonalLinksForm,
    RequestForm,
)
from koers.paytransparency.models import (
    CRITERIA,
    CategoryScheme,
    InformationRequest,
    PayRange,
    PersonalLink,
)
from koers.paytransparency.report import flat_rows, to_json

PDF_STYLES = ("koers/print.css",)


def today() -> dt.date:
    """The date deadlines and duties are seen from (tests set it)."""
    return timezone.localdate()


def _report(request: OrgRequest) -> dict[str, Any]:
    hr = can(request, "scan.view_all_figures")
    snapshot, scheme, report = services.art9_report(request.organisation, hr)
    day = today()
    rules = load_rules()
    duty = reporting_duty(report["headcount"], day, rules) if report else None
    return {
        "snapshot": snapshot,
        "scheme": scheme,
        "report": report,
        "duty": duty,
        "rules": rules,
        "law_in_force": rules.in_force(day),
        "k": settings.KOERS_MIN_GROUP_SIZE,
    }


@org_view("paytransparency.view")
def overview(request: OrgRequest) -> HttpResponse:
    return render(request, "paytransparency/overview.html", _report(request))


def _need_report(context: dict[str, Any]) -> dict[str, Any]:
    if context["report"] is None:
        raise Http404("no Gender Scan snapshot")
    return context


def _filename(context: dict[str, Any], suffix: str) -> str:
    return f"loontransparantie-art9-{context['report']['reference_year']}{suffix}"


@org_view("paytransparency.view")
def report_pdf(request: OrgRequest) -> HttpResponse:
    context = _need_report(_report(request))
    audit.record(request.organisation, request.user, "paytransparency.report_pdf")
    body = pdf.render_pdf(
        "paytransparency/report_pdf.html",
        {**context, "organisation": request.organisation, "part": "public"},
        stylesheets=PDF_STYLES,
        request=request,
    )
    return pdf.pdf_response(body, _filename(context, ".pdf"))


@org_view("paytransparency.view")
def report_g_pdf(request: OrgRequest) -> HttpResponse:
    context = _need_report(_report(request))
    audit.record(request.organisation, request.user, "paytransparency.report_g_pdf")
    body = pdf.render_pdf(
        "paytransparency/report_pdf.html",
        {**context, "organisation": request.organisation, "part": "g"},
        stylesheets=PDF_STYLES,
        request=request,
    )
    return pdf.pdf_response(body, _filename(context, "-g.pdf"))


@org_view("paytransparency.view")
def report_csv(request: OrgRequest) -> HttpResponse:
    context = _need_report(_report(request))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in flat_rows(context["report"]):
        writer.writerow(["" if v is None else v for v in row])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(context, ".csv")}"'
    response["Cache-Control"] = "no-store"
    return response


@org_view("paytransparency.view")
def report_json(request: OrgRequest) -> HttpResponse:
    context = _need_report(_report(request))
    body = json.dumps(to_json(context["report"]), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{_filename(context, ".json")}"'
    response["Cache-Control"] = "no-store"
    return response


@org_view("paytransparency.view")
def categories(request: OrgRequest) -> HttpResponse:
    org = request.organisation
    versions = list(CategoryScheme.objects.for_org(org))
    scheme = versions[0] if versions else None
    rows = []
    if scheme is not None:
        rows = sorted(
            (
                (job, v["scores"], v["category"], scheme.job_score(job))
                for job, v in scheme.jobs.items()
            ),
            key=lambda r: (r[2], -r[3], r[0]),
        )
    return render(
        request,
        "paytransparency/categories.html",
        {"scheme": scheme, "versions": versions, "rows": rows, "criteria": CRITERIA},
    )


@org_view("paytransparency.manage")
def categories_edit(request: OrgRequest) -> HttpResponse:
    org = request.organisation
    snapshot = services.current_snapshot(org)
    scheme = services.current_scheme(org)
    jobs = services.snapshot_jobs(snapshot) if snapshot else []
    if scheme is not None:
        jobs = sorted(set(jobs) | set(scheme.jobs))
    form = CategoryBuilderForm(request.POST or None, jobs=jobs, scheme=scheme)
    if request.method == "POST" and form.is_valid():
        saved = services.save_scheme(
            org,
            form.weights(),
            form.job_values(),
            weights_note=form.cleaned_data["weights_note"],
            user=request.user,
        )
        audit.record(org, request.user, "paytransparency.categories", target=f"v{saved.version}")
        messages.success(
            request, _("Categorieën opgeslagen als versie %(v)s.") % {"v": saved.version}
        )
        return redirect("paytransparency_categories", org=org.slug)
    return render(
        request,
        "paytransparency/categories_edit.html",
        {"form": form, "snapshot": snapshot, "scheme": scheme},
    )


@org_view("paytransparency.manage")
def categories_agreement(request: OrgRequest, pk: int) -> HttpResponse:
    org = request.organisation
    scheme = get_object_or_404(CategoryScheme.objects.for_org(org), pk=pk)
    form = AgreementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.record_agreement(scheme, form.cleaned_data["agreed_on"], form.cleaned_data["note"])
        audit.record(org, request.user, "paytransparency.agreement", target=f"v{scheme.version}")
        return redirect("paytransparency_categories", org=org.slug)
    return render(request, "paytransparency/agreement.html", {"form": form, "scheme": scheme})


@org_view("paytransparency.requests")
def requests_list(request: OrgRequest) -> HttpResponse:
    org = request.organisation
    snapshot = services.current_snapshot(org)
    form = RequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        worker = (
            services.find_worker(org, snapshot.frame(), form.cleaned_data["worker"])
            if snapshot
            else None
        )
        if worker is None:
            form.add_error("worker", _("Deze werknemer staat niet in de huidige nulmeting."))
        else:
            item = form.save(commit=False)
            item.organisation = org
            item.worker = worker
            item.created_by = request.user
            item.save()
            audit.record(org, request.user, "paytransparency.request", target=str(item.pk))
            return redirect("paytransparency_request", org=org.slug, pk=item.pk)
    day = today()
    items = list(InformationRequest.objects.for_org(org))
    desk = services.desk_settings(org)
    link = (
        request.build_absolute_uri(
            reverse("paytransparency_public", kwargs={"token": desk.public_token})
        )
        if desk.link_open and desk.public_token
        else ""
    )
    return render(
        request,
        "paytransparency/requests.html",
        {
            "form": form,
            "items": [(r, r.overdue(day)) for r in items],
            "today": day,
            "snapshot": snapshot,
            "desk": desk,
            "link": link,
            "notice_due": notice_due(desk.notice_given_on, day),
            "notice_due_on": notice_due_on(desk.notice_given_on, day),
        },
    )


def _letter_context(request: OrgRequest, item: InformationRequest) -> dict[str, Any]:
    if item.answer is not None:
        figures = item.answer
    else:
        try:
            figures = services.figures_for(request.organisation, item).to_dict()
        except (LookupError, UnknownWorker):
            figures = None
    return {
        "item": item,
        "figures": figures,
        "organisation": request.organisation,
        "today": today(),
        "k": settings.KOERS_MIN_GROUP_SIZE,
    }


@org_view("paytransparency.requests")
def request_detail(request: OrgRequest, pk: int) -> HttpResponse:
    org = request.organisation
    item = get_object_or_404(InformationRequest.objects.for_org(org), pk=pk)
    if request.method == "POST" and item.answered_on is None:
        try:
            services.answer(org, item, today())
        except (LookupError, UnknownWorker):
            messages.error(request, _("Deze werknemer staat niet in de huidige nulmeting."))
        else:
            audit.record(org, request.user, "paytransparency.answer", target=str(item.pk))
            messages.success(request, _("Het antwoord is vastgelegd."))
        return redirect("paytransparency_request", org=org.slug, pk=item.pk)
    context = _letter_context(request, item)
    context["overdue"] = item.overdue(context["today"])
    return render(request, "paytransparency/request.html", context)


@org_view("paytransparency.requests")
def request_letter(request: OrgRequest, pk: int) -> HttpResponse:
    org = request.organisation
    item = get_object_or_404(InformationRequest.objects.for_org(org), pk=pk)
    context = _letter_context(request, item)
    if context["figures"] is None:
        raise Http404("no figures for this worker")
    audit.record(org, request.user, "paytransparency.letter", target=str(item.pk))
    with translation.override(item.language):
        body = pdf.render_pdf(
            "paytransparency/letter_pdf.html", context, stylesheets=PDF_STYLES, request=request
        )
    return pdf.pdf_response(body, f"loon-informatie-{item.pk}.pdf")


@org_view("paytransparency.requests")
def notice(request: OrgRequest) -> HttpResponse:
    return render(
        request,
        "paytransparency/notice.html",
        {
            "year": today().year,
            "url": reverse("paytransparency_requests", kwargs={"org": request.organisation.slug}),
        },
    )


@org_view("paytransparency.requests")
def request_link(request: OrgRequest) -> HttpResponse:
    """Open or close the link workers file their own requests through (POST)."""
    org = request.organisation
    if request.method == "POST":
        is_open = request.POST.get("open") == "1"
        services.open_link(services.desk_settings(org), is_open)
        audit.record(
            org, request.user, "paytransparency.link", target="open" if is_open else "closed"
        )
    return redirect("paytransparency_requests", org=org.slug)


@org_view("paytransparency.requests")
def personal_links(request: OrgRequest) -> HttpResponse:
    """Personal links for the workers of the current snapshot (Art. 7), as a CSV download made
    once: employee number and link, to mail-merge with the yearly notice. Koers keeps only a
    keyed hash of each link; generating again replaces every link."""
    org = request.organisation
    form = PersonalLinksForm(request.POST or None)
    snapshot = services.current_snapshot(org)
    if request.method == "POST" and form.is_valid():
        if snapshot is None:
            form.add_error(None, _("Er is nog geen nulmeting: laad eerst het HR-bestand."))
        else:
            matched, unknown = services.match_employee_numbers(org, form.numbers_list())
            if unknown:
                shown = ", ".join(unknown[:10]) + (" …" if len(unknown) > 10 else "")
                form.add_error(
                    "numbers",
                    ngettext(
                        "%(n)d personeelsnummer staat niet in de huidige nulmeting: "
                        "%(numbers)s. Haal het weg of laad eerst het nieuwe HR-bestand.",
                        "%(n)d personeelsnummers staan niet in de huidige nulmeting: "
                        "%(numbers)s. Haal ze weg of laad eerst het nieuwe HR-bestand.",
                        len(unknown),
                    )
                    % {"n": len(unknown), "numbers": shown},
                )
            elif not matched:
                form.add_error("numbers", _("Vul minstens één personeelsnummer in."))
            else:
                made = services.generate_personal_links(org, matched)
                audit.record(
                    org, request.user, "paytransparency.personal_links", target=str(len(made))
                )
                out = io.StringIO()
                writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
                writer.writerow(["employee_number", "personal_link"])
                for number, secret in made:
                    link = request.build_absolute_uri(
                        reverse("paytransparency_personal", kwargs={"secret": secret})
                    )
                    safe = "'" + number if number[:1] in ("=", "+", "-", "@") else number
                    writer.writerow([safe, link])
                response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
                response["Content-Disposition"] = (
                    f'attachment; filename="persoonlijke-links-{org.slug}.csv"'
                )
                response["Cache-Control"] = "no-store"
                return response
    links = PersonalLink.objects.for_org(org)
    latest = links.order_by("-created").values_list("created", flat=True).first()
    return render(
        request,
        "paytransparency/personal_links.html",
        {
            "form": form,
            "snapshot": snapshot,
            "n_workers": services.n_workers(snapshot) if snapshot else 0,
            "n_links": links.count(),
            "made_on": latest,
        },
        status=400 if form.errors else 200,
    )


@org_view("paytransparency.requests")
def notice_given(request: OrgRequest) -> HttpResponse:
    """Record that the yearly notice (Art. 7(3)) went to all workers today (POST)."""
    org = request.organisation
    if request.method == "POST":
        desk = services.desk_settings(org)
        desk.notice_given_on = today()
        desk.save(update_fields=["notice_given_on"])
        audit.record(
            org, request.user, "paytransparency.notice", target=desk.notice_given_on.isoformat()
        )
        messages.success(request, _("Vastgelegd: de jaarlijkse kennisgeving is vandaag gegeven."))
    return redirect("paytransparency_requests", org=org.slug)


def _categories(org: Any) -> list[str]:
    scheme = services.current_scheme(org)
    return list(scheme.categories()) if scheme else []


@org_view("paytransparency.pay_ranges")
def pay_ranges(request: OrgRequest) -> HttpResponse:
    org = request.organisation
    return render(
        request,
        "paytransparency/pay_ranges.html",
        {
            "ranges": PayRange.objects.for_org(org),
            "form": PayRangeForm(categories=_categories(org)),
        },
    )


@org_view("paytransparency.manage")
def pay_range_new(request: OrgRequest) -> HttpResponse:
    org = request.organisation
    form = PayRangeForm(request.POST or None, categories=_categories(org))
    if request.method == "POST" and form.is_valid():
        item = form.save(commit=False)
        item.organisation = org
        item.save()
        audit.record(org, request.user, "paytransparency.pay_range", target=item.vacancy)
        return redirect("paytransparency_pay_ranges", org=org.slug)
    return render(request, "paytransparency/pay_range_edit.html", {"form": form})


@org_view("paytransparency.manage")
def pay_range_delete(request: OrgRequest, pk: int) -> HttpResponse:
    org = request.organisation
    item = get_object_or_404(PayRange.objects.for_org(org), pk=pk)
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        audit.record(org, request.user, "paytransparency.pay_range_delete", target=item.vacancy)
        item.delete()
    return redirect("paytransparency_pay_ranges", org=org.slug)
