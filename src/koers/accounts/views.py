"""Login with throttling, and the two-factor steps (set up an authenticator, verify a code)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp import match_token

from koers.accounts import twofactor
from koers.accounts.forms import ThrottledAuthenticationForm, TokenForm
from koers.accounts.throttle import record_failure


class LoginView(auth_views.LoginView):
    authentication_form = ThrottledAuthenticationForm
    redirect_authenticated_user = True


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return "/"


@login_required
def verify(request: HttpRequest) -> HttpResponse:
    """Second step of login: a code from the authenticator app."""
    if twofactor.needs_2fa(request) == "setup":
        return redirect(f"/accounts/2fa/setup/?next={_next(request)}")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            return redirect(_next(request))
        record_failure(request.user.get_username(), request.META.get("REMOTE_ADDR", ""))
        form.add_error("token", _("Deze code klopt niet of is verlopen. Probeer de nieuwste code."))
    return render(request, "accounts/verify.html", {"form": form, "next": _next(request)})


@login_required
def setup(request: HttpRequest) -> HttpResponse:
    """Connect an authenticator app: scan the QR code (or type the key), confirm one code."""
    device = twofactor.pending_device(request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            messages.success(request, _("Je authenticator-app is gekoppeld."))
            return redirect(_next(request))
        form.add_error("token", _("Deze code klopt niet. Controleer de tijd op je telefoon."))
    return render(
        request,
        "accounts/setup.html",
        {
            "form": form,
            "qr": twofactor.qr_data_uri(device),
            "secret": twofactor.secret_of(device),
            "next": _next(request),
        },
    )
