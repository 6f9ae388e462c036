"""One central check for two-factor login: until the code step is passed, nothing opens.

After the password step a user whose account needs a second step (see
:func:`koers.accounts.twofactor.needs_2fa`) may reach only:

- the code step (``/accounts/2fa/``), and the setup page only while the account has no
  confirmed authenticator (adding or replacing one needs a verified session);
- logout, static files and the language switch (``/i18n/``), which show nothing;
- the JSON API, which never looks at the session: it authenticates by token only
  (``koers.api.api.TokenAuth``; tests/foundation/test_access_matrix.py,
  ``test_the_api_needs_a_token``).

Every other request (organisation pages, the Django admin, the password change page, the
home page, ...) is redirected to the step still to be taken, so a page added later is
covered without anyone remembering a decorator. ``org_view`` keeps its own check too.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from koers.accounts.twofactor import needs_2fa

OPEN_PREFIXES = ("/i18n/", "/api/")


class TwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        step = needs_2fa(request)
        if step is not None and not _open_during(step, request.path):
            target = reverse("twofactor_setup" if step == "setup" else "twofactor_verify")
            if request.method == "GET":
                target += "?" + urlencode({"next": request.get_full_path()})
            return HttpResponseRedirect(target)
        return self.get_response(request)


def _open_during(step: str, path: str) -> bool:
    if path in (reverse("twofactor_verify"), reverse("logout")):
        return True
    if step == "setup" and path == reverse("twofactor_setup"):
        return True
    static = settings.STATIC_URL or "/static/"
    return path.startswith((static, *OPEN_PREFIXES))
