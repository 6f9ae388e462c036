"""The respondent's own report: on screen, as PDF, shared with a named HR person or not.

The respondent is anonymous, so the list of people they may share with shows names and
roles only: no e-mail address (the login name, which would let anyone aim the account
lockout at HR) and no user id. The chosen person is posted back as an opaque value, a
keyed hash of the response and the membership (:func:`_recipient_key`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from koers.compass.models import ReportShare
from koers.compass.report import build_context
from koers.compass.services import is_compass
from koers.lib.language import current_language
from koers.lib.pdf import PRINT_STYLES, pdf_response, render_pdf
from koers.organisations.models import Membership
from koers.organisations.permissions import roles_with
from koers.surveys import links
from koers.surveys.models import Response
from koers.surveys.respond_views import load_response

RECIPIENT = "report-share-recipient"


@dataclass(frozen=True)
class Recipient:
    """One HR person as a respondent sees them: a label and an opaque key, nothing else."""

    key: str
    label: str
    user: Any  # for the view only; never rendered


def _recipient_key(response: Response, membership: Membership) -> str:
    return links.keyed_hash(RECIPIENT, f"{response.pk}:{membership.pk}")[:24]


def _recipients(response: Response) -> list[Recipient]:
    """Who may read a shared report (the HR roles), as "name (role)" or the role alone."""
    memberships = (
        Membership.objects.filter(
            organisation=response.campaign.organisation,
            role__in=list(roles_with("compass.view_shared_reports")),
            user__is_active=True,
        )
        .select_related("user")
        .order_by("user__first_name", "user__last_name", "pk")
    )
    rows = [(m, m.get_role_display(), m.user.get_full_name().strip()) for m in memberships]
    n_unnamed = Counter(role for _m, role, name in rows if not name)
    seen: Counter[str] = Counter()
    people: list[Recipient] = []
    for membership, role, name in rows:
        if name:
            label = f"{name} ({role})"
        else:  # no name in Koers: the role, numbered when several share it
            seen[role] += 1
            label = f"{role} {seen[role]}" if n_unnamed[role] > 1 else str(role)
        people.append(Recipient(_recipient_key(response, membership), label, membership.user))
    return people


def _shared_with(response: Response) -> list[dict[str, Any]]:
    """The shares, each with the same "name (role)" label the share list shows."""
    labels = {p.user.pk: p.label for p in _recipients(response)}
    shares = ReportShare.objects.filter(response=response).select_related("user")
    return [
        {
            "pk": share.pk,
            "who": labels.get(share.user_id)
            or share.user.get_full_name().strip()
            or _("iemand van HR"),
        }
        for share in shares
    ]


@never_cache
def report(request: HttpRequest, slot: str) -> HttpResponse:
    loaded = load_response(request, slot)
    if isinstance(loaded, HttpResponse):
        return loaded
    if not loaded.is_finished:
        return redirect("respond_home", slot=slot)
    if not is_compass(loaded):  # another questionnaire has no personal report
        return redirect("respond_done", slot=slot)
    context = build_context(loaded, current_language())
    context.update(
        {
            "slot": slot,
            "recipients": _recipients(loaded),
            "shares": _shared_with(loaded),
            "research_consent": loaded.research_consent,
        }
    )
    return render(request, "compass/report.html", context)


@never_cache
def report_pdf(request: HttpRequest, slot: str) -> HttpResponse:
    loaded = load_response(request, slot)
    if isinstance(loaded, HttpResponse):
        return loaded
    if not loaded.is_finished:
        return redirect("respond_home", slot=slot)
    if not is_compass(loaded):
        return redirect("respond_done", slot=slot)
    pdf = render_pdf(
        "compass/report_print.html",
        build_context(loaded, current_language()),
        stylesheets=PRINT_STYLES,
    )
    return pdf_response(pdf, "carriere-kompas-rapport.pdf")


@require_POST
def share(request: HttpRequest, slot: str) -> HttpResponse:
    loaded = load_response(request, slot)
    if isinstance(loaded, HttpResponse):
        return loaded
    chosen = request.POST.get("recipient", "")
    person = next((p for p in _recipients(loaded) if p.key == chosen), None)
    if person is not None and loaded.is_finished:
        ReportShare.objects.get_or_create(response=loaded, user=person.user)
        messages.success(request, _("Je rapport is gedeeld met %(who)s.") % {"who": person.label})
    return redirect("compass_report", slot=slot)


@require_POST
def withdraw(request: HttpRequest, slot: str) -> HttpResponse:
    """Withdraw a share: the first post asks for confirmation, the second withdraws."""
    loaded = load_response(request, slot)
    if isinstance(loaded, HttpResponse):
        return loaded
    share_id = request.POST.get("share", "")
    # ASCII digits that fit a 64-bit key: "²" or 10**30 would crash the query.
    if not (share_id.isascii() and share_id.isdigit() and len(share_id) <= 18):
        return redirect("compass_report", slot=slot)
    found = next((s for s in _shared_with(loaded) if s["pk"] == int(share_id)), None)
    if found is None:
        return redirect("compass_report", slot=slot)
    if request.POST.get("confirm") != "yes":
        return render(request, "compass/withdraw_confirm.html", {"slot": slot, "share": found})
    ReportShare.objects.filter(response=loaded, pk=found["pk"]).delete()
    messages.success(
        request,
        _("Je rapport is niet meer gedeeld met %(who)s. Die persoon kan het niet meer openen.")
        % {"who": found["who"]},
    )
    return redirect("compass_report", slot=slot)
