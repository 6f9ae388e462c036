"""A worker's own information request (Art. 7(1)) through the organisation's desk link.

No account and nothing about the visitor is stored (no address, no user agent, no time of
day): the request holds the pseudonym of the employee number typed, the date and the keyed
hash of the receipt code. The code travels only in POST bodies. Unknown links and codes
count towards :func:`koers.lib.ratelimit.too_many_failures`; submissions are limited per
address with :func:`koers.lib.ratelimit.over_limit` (the counters hold keyed hashes only).
The letter itself stays with HR, who hands it to the worker.

A worker's personal link (:func:`personal_request`) files the request for the link's worker:
no employee number is typed; the link is found by the keyed hash of its secret. It works
whether or not the organisation's desk link is open; HR replaces all of them at once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from koers.lib import codes, ratelimit
from koers.organisations.models import Organisation
from koers.paytransparency import services
from koers.paytransparency.clock import answer_deadline
from koers.paytransparency.forms import OwnRequestForm, PersonalRequestForm, ReceiptCodeForm

# Five requests an hour from one address is more than a worker needs.
FLOOD_LIMIT, FLOOD_WINDOW = 5, 3600


def _unknown(request: HttpRequest) -> HttpResponse:
    ratelimit.record_failure(request)
    return render(request, "paytransparency/public_unknown.html", status=404)


def _request_page(
    request: HttpRequest,
    organisation: Organisation,
    form: forms.Form,
    file: Callable[[dict[str, Any], dt.date], str],
    **extra: Any,
) -> HttpResponse:
    """The request form and, once filed, its receipt: the same for the desk link and a
    personal link. ``file(cleaned_data, day)`` stores the request and returns the receipt
    code; ``extra`` goes to the form's template."""
    if request.method == "POST":
        if ratelimit.over_limit(request, "pay-request", FLOOD_LIMIT, FLOOD_WINDOW):
            return ratelimit.refused(request, "flooding")
        if form.is_valid():
            day = timezone.localdate()
            code = file(form.cleaned_data, day)
            return render(
                request,
                "paytransparency/public_received.html",
                {
                    "organisation": organisation,
                    "code": codes.format_code(code),
                    "deadline": answer_deadline(day),
                },
            )
    return render(
        request,
        "paytransparency/public_form.html",
        {"organisation": organisation, "form": form, **extra},
        status=400 if form.errors else 200,
    )


@sensitive_post_parameters("employee_number")
@never_cache
def own_request(request: HttpRequest, token: str) -> HttpResponse:
    if ratelimit.too_many_failures(request):
        return ratelimit.refused(request)
    desk = services.desk_for_token(token)
    if desk is None:
        return _unknown(request)
    return _request_page(
        request,
        desk.organisation,
        OwnRequestForm(request.POST or None),
        lambda data, day: services.file_request(
            desk, data["employee_number"], data["language"], day
        ),
    )


@never_cache
def personal_request(request: HttpRequest, secret: str) -> HttpResponse:
    if ratelimit.too_many_failures(request):
        return ratelimit.refused(request)
    link = services.personal_link_for(secret)
    if link is None:
        return _unknown(request)
    return _request_page(
        request,
        link.organisation,
        PersonalRequestForm(request.POST or None),
        lambda data, day: services.file_request_for(
            link.organisation, link.worker, data["language"], day
        ),
        personal=True,
    )


@sensitive_post_parameters("code")
@never_cache
def own_status(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return render(request, "paytransparency/public_status.html", {"form": ReceiptCodeForm()})
    if ratelimit.too_many_failures(request):
        return ratelimit.refused(request)
    form = ReceiptCodeForm(request.POST)
    found = services.find_own_request(form.data.get("code", "")) if form.is_valid() else None
    if found is None:
        ratelimit.record_failure(request)
        form.add_error("code", "")
        return render(
            request,
            "paytransparency/public_status.html",
            {"form": form, "unknown": True},
            status=404,
        )
    return render(request, "paytransparency/public_status.html", {"form": None, "item": found})
