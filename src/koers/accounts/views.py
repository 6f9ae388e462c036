"""Login with throttling, and the two-factor steps (set up an authenticator, verify a code).

What a half-logged-in user may reach is decided centrally in
:mod:`koers.accounts.middleware`; these views check their own preconditions as well.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp import match_token, user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from koers.accounts import notices, throttle, twofactor
from koers.accounts.forms import ThrottledAuthenticationForm, TokenForm


class LoginView(auth_views.LoginView):
    authentication_form = ThrottledAuthenticationForm
    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        if twofactor.needs_2fa(self.request) is None:  # the login is complete
            throttle.remember_browser(self.request, response, self.request.user.get_username())
        return response


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return "/"


def _step_url(name: str, request: HttpRequest) -> str:
    return f"{reverse(name)}?{urlencode({'next': _next(request)})}"


def _complete(request: HttpRequest, device: TOTPDevice) -> HttpResponse:
    """The code step passed: mark the session verified under a new session key (a key
    seen before the second step must not carry its result) and remember the browser."""
    otp_login(request, device)
    request.session.cycle_key()
    response = redirect(_next(request))
    throttle.remember_browser(request, response, request.user.get_username())
    return response


@login_required
def verify(request: HttpRequest) -> HttpResponse:
    """Second step of login: a code from the authenticator app."""
    step = twofactor.needs_2fa(request)
    if step == "setup":
        return redirect(_step_url("twofactor_setup", request))
    verified = twofactor.is_verified(request.user)
    if step is None and (verified or not user_has_device(request.user, confirmed=True)):
        return redirect(_next(request))  # verified already, or nothing to verify
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = request.user
        address = throttle.client_address(request)
        known = throttle.is_known_browser(request, user.get_username())
        if not throttle.begin_code(user, address, known):
            form.add_error(
                "token",
                _(
                    "Te veel verkeerde codes. Wacht een paar minuten en probeer het opnieuw. "
                    "Lukt het dan nog niet, vraag dan een nieuw wachtwoord aan."
                ),
            )
        else:
            device = match_token(user, form.cleaned_data["token"])
            if device is not None:
                throttle.code_succeeded(user, address, known)
                return _complete(request, device)
            if throttle.code_failed(user, address, known):
                notices.codes_being_guessed(user)
            form.add_error(
                "token", _("Deze code klopt niet of is verlopen. Probeer de nieuwste code.")
            )
    return render(request, "accounts/verify.html", {"form": form, "next": _next(request)})


@login_required
def setup(request: HttpRequest) -> HttpResponse:
    """Connect an authenticator app: scan the QR code (or type the key), confirm one code.

    With a confirmed authenticator already, only a verified session may get here (to
    replace it); otherwise the password alone would be enough to enrol a new one.
    """
    user = request.user
    replacing = user_has_device(user, confirmed=True)
    if replacing and not twofactor.is_verified(user):
        return redirect(_step_url("twofactor_verify", request))
    device = twofactor.pending_device(request)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            with transaction.atomic():
                # One authenticator per account: the new one replaces the old.
                TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
                device.confirmed = True
                device.save(update_fields=["confirmed"])
            request.session.pop(twofactor.PENDING_SESSION_KEY, None)
            notices.device_linked(user)
            messages.success(request, _("Je authenticator-app is gekoppeld."))
            return _complete(request, device)
        form.add_error("token", _("Deze code klopt niet. Controleer de tijd op je telefoon."))
    return render(
        request,
        "accounts/setup.html",
        {
            "form": form,
            "qr": twofactor.qr_data_uri(device),
            "secret": twofactor.secret_of(device),
            "next": _next(request),
            "replacing": replacing,
        },
    )
