"""The Django admin, entered only through Koers's own login.

django-otp's admin login form takes a user name, password and code in one form, outside
the login throttle (``koers.accounts.throttle``): a password oracle for staff accounts
and a second place to guess codes. So the admin's login page sends people to
``/accounts/login/`` (throttled, then the code step); the admin itself still requires a
verified session (``OTPAdminSite.has_permission``).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django_otp import user_has_device
from django_otp.admin import OTPAdminSite

from koers.accounts.twofactor import is_verified


class KoersAdminSite(OTPAdminSite):  # type: ignore[misc]
    def login(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        index = reverse("admin:index", current_app=self.name)
        if not request.user.is_authenticated:
            target = request.GET.get("next") or index
            return redirect_to_login(target if target.startswith("/") else index)
        if self.has_permission(request):
            return HttpResponseRedirect(index)
        if request.user.is_staff and not is_verified(request.user):
            # Staff must give a code first (TwoFactorMiddleware sends them there already
            # unless KOERS_REQUIRE_2FA is off; then the code step is still open to them).
            step = "twofactor_verify" if user_has_device(request.user) else "twofactor_setup"
            return redirect_to_login(index, login_url=reverse(step))
        raise PermissionDenied("This account has no access to the admin")
