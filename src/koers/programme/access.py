"""Access to programme pages: only users of the programme office (:class:`OfficeMember`).

A programme office is not a member of any organisation, so ``org_view`` refuses it every
``/o/<org>/`` page (404); and an organisation member who is not in the office gets 404 here.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, cast
from urllib.parse import urlencode

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from koers.accounts.twofactor import needs_2fa
from koers.programme.models import Programme

View = Callable[..., HttpResponse]


class ProgrammeRequest(HttpRequest):
    programme: Programme


def programmes_of(user: Any) -> list[Programme]:
    """The programmes whose office ``user`` is in (for the home page)."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(Programme.objects.filter(office__user=user).order_by("name"))


def programme_view(view: View) -> View:
    @wraps(view)
    def wrapper(request: HttpRequest, slug: str, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        programme = Programme.objects.filter(slug=slug, office__user=request.user).first()
        if programme is None:
            raise Http404("Programme not found")
        step = needs_2fa(request)
        if step is not None:
            target = reverse("twofactor_setup" if step == "setup" else "twofactor_verify")
            return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
        typed = cast(ProgrammeRequest, request)
        typed.programme = programme
        return view(typed, *args, **kwargs)

    return wrapper
