"""The reporting box's pages: the public form and status page, and the adviser's inbox.

Public pages store nothing about the visitor (no address, no user agent, no
time of day) and send ``Cache-Control: no-store``; the receipt code travels only
in POST bodies, never in a URL, so it stays out of server logs and histories.
Only the confidential adviser reads reports; the organisation admin can open or
close the box and see its link, never a report.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.db.models import Case, Count, Value, When
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from koers.lib import codes, ratelimit
from koers.organisations import audit
from koers.organisations.access import OrgRequest, org_view
from koers.reportbox import services
from koers.reportbox.forms import AdviserProfileForm, BoxForm, CodeForm, MessageForm, ReportForm
from koers.reportbox.models import Report, ReportBox

# --- public --------------------------------------------------------------------------------


def _unknown(request: HttpRequest) -> HttpResponse:
    ratelimit.record_failure(request)
    return render(request, "reportbox/unknown.html", status=404)


def advisers(organisation_id: int) -> list[str]:
    """Who reads the reports, named on the public form: nobody reads them unannounced."""
    return [services.adviser_name(user) for user in services.current_advisers(organisation_id)]


@sensitive_post_parameters("text")
@never_cache
def box(request: HttpRequest, token: str) -> HttpResponse:
    if ratelimit.too_many_failures(request):
        return ratelimit.refused(request)
    found = ReportBox.objects.select_related("organisation").filter(public_token=token).first()
    if found is None:
        return _unknown(request)
    if not found.is_open:
        return render(request, "reportbox/closed.html", {"box": found}, status=410)
    current = services.current_advisers(found.organisation_id)
    form = ReportForm(request.POST or None)
    notice, status_code = "", 200
    if request.method == "POST":
        if services.over_report_limit(request):
            return ratelimit.refused(request, "flooding")
        if not current:
            status_code = 409  # nobody could read it: the page says so, with no form
        elif form.is_valid():
            # The report goes to the advisers this form named, and only if they still are
            # the advisers: otherwise the reporter sees the new list and decides again.
            shown = services.shown_adviser_ids(request.POST.get("shown", ""))
            if shown == {user.pk for user in current}:
                received = services.receive(
                    found,
                    form.cleaned_data["category"],
                    form.cleaned_data["text"],
                    readers=current,
                )
                return render(
                    request,
                    "reportbox/received.html",
                    {
                        "box": found,
                        "code": codes.format_code(received.code),
                        "expected": services.answer_expected(found, received.report),
                    },
                )
            notice = _(
                "Wie je melding leest, is veranderd sinds je dit formulier opende. Kijk "
                "hierboven wie hem nu leest en verstuur hem opnieuw als je dat wilt."
            )
            status_code = 409
    return render(
        request,
        "reportbox/form.html",
        {
            "box": found,
            "form": form,
            "advisers": services.public_advisers(found.organisation_id, current),
            "shown": services.sign_shown(current),
            "notice": notice,
        },
        status=400 if form.errors else status_code,
    )


@sensitive_post_parameters("code", "text")
@never_cache
def status(request: HttpRequest) -> HttpResponse:
    """The reporter's own report: read the adviser's replies, write back, or withdraw it."""
    if request.method != "POST":
        return render(request, "reportbox/status_code.html", {"form": CodeForm()})
    if ratelimit.too_many_failures(request):
        return ratelimit.refused(request)
    code_form = CodeForm(request.POST)
    report = services.find_report(code_form.data.get("code", "")) if code_form.is_valid() else None
    if report is None:
        ratelimit.record_failure(request)
        code_form.add_error(
            "code",
            _("Deze code kennen we niet. Kijk of je hem goed hebt overgenomen (16 tekens)."),
        )
        return render(request, "reportbox/status_code.html", {"form": code_form}, status=404)
    action = request.POST.get("action", "open")
    message_form = MessageForm()
    notice = withdraw_error = ""
    if action == "withdraw":
        if request.POST.get("confirm") == "yes":
            services.withdraw(report)
            return render(request, "reportbox/withdrawn.html")
        withdraw_error = _("Vink aan dat je de melding echt wilt verwijderen.")
    if action == "message":
        if services.over_report_limit(request):
            return ratelimit.refused(request, "flooding")
        message_form = MessageForm(request.POST)
        if message_form.is_valid():
            services.add_message(report, message_form.cleaned_data["text"], from_adviser=False)
            message_form = MessageForm()
            notice = _("Je bericht is verstuurd.")
    return render(
        request,
        "reportbox/status.html",
        {
            "report": report,
            "thread": report.messages.all(),
            "readers": services.public_advisers(
                report.organisation_id, services.readers_now(report)
            ),
            "expected": services.answer_expected(services.box_of(report.organisation), report),
            "code": codes.format_code(code_form.data["code"]),
            "form": message_form,
            "notice": notice,
            "withdraw_error": withdraw_error,
        },
        status=400 if message_form.errors or withdraw_error else 200,
    )


# --- the organisation's side ---------------------------------------------------------------


def _box_context(request: HttpRequest, box_obj: ReportBox) -> dict[str, Any]:
    return {
        "box": box_obj,
        "advisers": advisers(box_obj.organisation_id),
        "public_link": request.build_absolute_uri(
            reverse("reportbox_public", kwargs={"token": box_obj.public_token})
        ),
        "status_link": request.build_absolute_uri(reverse("reportbox_status")),
    }


def _new_link_question(box_obj: ReportBox) -> dict[str, Any]:
    """The confirmation step before the box's link is replaced (it cannot be undone)."""
    here = reverse("reportbox_settings", kwargs={"org": box_obj.organisation.slug})
    return {
        "title": _("Nieuwe link voor het meldpunt"),
        "question": _("Wil je het meldpunt echt een nieuwe link geven?"),
        "consequences": [
            _("De oude link werkt daarna niet meer; wie hem opent, ziet een foutpagina."),
            _("Deel de nieuwe link opnieuw met medewerkers. Bestaande meldcodes blijven werken."),
            _("Dit kan niet ongedaan worden gemaakt."),
        ],
        "action": here,
        "fields": {"action": "new_link"},
        "confirm_label": _("Ja, maak een nieuwe link"),
        "cancel_url": here,
    }


@never_cache
@org_view("reportbox.configure")
def settings_page(request: OrgRequest) -> HttpResponse:
    """Open or close the box, its introduction and its link (admin and adviser)."""
    box_obj = services.box_of(request.organisation)
    form = BoxForm(request.POST or None, instance=box_obj)
    if request.method == "POST":
        if request.POST.get("action") == "new_link" and request.POST.get("confirm") != "yes":
            return render(request, "confirm.html", _new_link_question(box_obj))
        if request.POST.get("action") == "new_link":
            services.new_link(box_obj)
            audit.record(box_obj.organisation, request.user, "reporting box: new link")
            messages.success(
                request, _("Het meldpunt heeft een nieuwe link; de oude werkt niet meer.")
            )
            return redirect("reportbox_settings", org=box_obj.organisation.slug)
        if form.is_valid():
            form.save()
            messages.success(request, _("Het meldpunt is bijgewerkt."))
            return redirect("reportbox_settings", org=box_obj.organisation.slug)
    return render(
        request,
        "reportbox/settings.html",
        {**_box_context(request, box_obj), "form": form},
        status=400 if form.errors else 200,
    )


@never_cache
@org_view("reportbox.read")
def adviser_profile(request: OrgRequest) -> HttpResponse:
    """The adviser's own name and role as reporters see them on the form."""
    organisation = request.organisation
    form = AdviserProfileForm(
        request.POST or None, instance=services.profile_of(organisation, request.user)
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Zo staat je naam nu op het meldformulier."))
        return redirect("reportbox_profile", org=organisation.slug)
    return render(
        request,
        "reportbox/profile.html",
        {"form": form, "box": services.box_of(organisation)},
        status=400 if form.errors else 200,
    )


@never_cache
@org_view("reportbox.read")
def inbox(request: OrgRequest) -> HttpResponse:
    organisation = request.organisation
    reports = (
        services.readable_reports(organisation, request.user)
        .annotate(
            n_messages=Count("messages"),
            stage=Case(
                When(status=Report.Status.NEW, then=Value(0)),
                When(status=Report.Status.IN_PROGRESS, then=Value(1)),
                default=Value(2),
            ),
        )
        .order_by("stage", "-received_on", "-number")
    )
    rows = [(r, r.n_messages) for r in reports]
    # Reports written to other advisers: only how many, so a new adviser knows to ask.
    n_elsewhere = Report.objects.for_org(organisation).count() - len(rows)
    return render(
        request,
        "reportbox/inbox.html",
        {
            **_box_context(request, services.box_of(organisation)),
            "rows": rows,
            "n_elsewhere": n_elsewhere,
        },
    )


def _report(request: OrgRequest, pk: int) -> Report:
    """A report the adviser may read; any other is 404, as if it did not exist."""
    organisation = request.organisation
    report = services.readable_reports(organisation, request.user).filter(pk=pk).first()
    if report is None:
        raise Http404("No such report")
    return report


def _report_page(
    request: HttpRequest,
    report: Report,
    form: MessageForm,
    status: int = 200,
    handover_error: str = "",
) -> HttpResponse:
    readers = services.readers_now(report)
    context = {
        "report": report,
        "thread": report.messages.all(),
        "form": form,
        "retain_months": settings.KOERS_RETAIN_REPORTS_MONTHS,
        "readers": [services.adviser_name(user) for user in readers],
        "handover_to": [
            (user.pk, services.adviser_name(user))
            for user in services.current_advisers(report.organisation_id)
            if user not in readers
        ],
        "handover_error": handover_error,
    }
    return render(request, "reportbox/report.html", context, status=status)


@never_cache
@org_view("reportbox.read")
def report_detail(request: OrgRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    audit.record(report.organisation, request.user, "viewed report", report.reference)
    return _report_page(request, report, MessageForm())


@never_cache
@require_POST
@org_view("reportbox.read")
def report_action(request: OrgRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    action = request.POST.get("action")
    slug = report.organisation.slug
    if action == "reply":
        form = MessageForm(request.POST)
        if not form.is_valid():
            return _report_page(request, report, form, status=400)
        services.add_message(report, form.cleaned_data["text"], from_adviser=True)
        messages.success(
            request, _("Je antwoord staat klaar; de melder leest het met de meldcode.")
        )
    elif action == "close":
        services.close(report)
        messages.success(request, _("De melding is afgesloten."))
    elif action == "reopen":
        services.reopen(report)
        messages.success(request, _("De melding is weer in behandeling."))
    elif action == "handover":
        return _hand_over(request, report)
    else:
        return HttpResponse(status=400)
    return redirect("reportbox_report", org=slug, pk=report.pk)


def _hand_over(request: HttpRequest, report: Report) -> HttpResponse:
    """Give another current adviser access to this report, after an explicit confirmation."""
    organisation = report.organisation
    to = next(
        (
            user
            for user in services.current_advisers(organisation.pk)
            if str(user.pk) == request.POST.get("adviser", "")
        ),
        None,
    )
    if to is None or request.POST.get("confirm") != "yes":
        error = (
            _("Kies aan wie je de melding overdraagt.")
            if to is None
            else _("Vink aan dat je de melding wilt overdragen.")
        )
        return _report_page(request, report, MessageForm(), status=400, handover_error=error)
    if services.hand_over(report, by=request.user, to=to):
        audit.record(
            organisation, request.user, "handed over report", f"{report.reference} → {to.email}"
        )
        messages.success(
            request,
            _("%(name)s kan melding %(ref)s nu ook lezen.")
            % {"name": services.adviser_name(to), "ref": report.reference},
        )
    return redirect("reportbox_report", org=organisation.slug, pk=report.pk)
