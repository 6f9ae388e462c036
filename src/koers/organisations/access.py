"""Access to organisation pages: one decorator that every organisation view uses.

``@org_view(roles=...)`` resolves ``<slug:org>`` from the URL, checks that the
user is a member with one of the roles, and passes ``request.organisation`` and
``request.membership``. A non-member gets 404 (an organisation's existence is
not confirmed to outsiders); a member without the role gets 403.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect

from koers.organisations.models import Membership, Organisation, Role

View = Callable[..., HttpResponse]
ALL_ROLES = frozenset(Role)


def get_membership(user: Any, slug: str) -> Membership | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        Membership.objects.select_related("organisation")
        .filter(user=user, organisation__slug=slug)
        .first()
    )


def org_view(roles: Iterable[str] = ALL_ROLES) -> Callable[[View], View]:
    allowed = frozenset(roles)

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, org: str, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            membership = get_membership(request.user, org)
            if membership is None:
                raise Http404("Organisation not found")
            if membership.role not in allowed:
                raise PermissionDenied("Your role does not give access to this page")
            from koers.accounts.twofactor import needs_2fa

            step = needs_2fa(request)
            if step is not None:
                target = "/accounts/2fa/setup/" if step == "setup" else "/accounts/2fa/"
                return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
            request.organisation = membership.organisation  # type: ignore[attr-defined]
            request.membership = membership  # type: ignore[attr-defined]
            return view(request, *args, **kwargs)

        wrapper.koers_roles = allowed  # type: ignore[attr-defined]
        return wrapper

    return decorator


def current_organisation(request: HttpRequest) -> Organisation:
    """The organisation :func:`org_view` resolved for this request."""
    org: Organisation = request.organisation  # type: ignore[attr-defined]
    return org


def current_membership(request: HttpRequest) -> Membership:
    membership: Membership = request.membership  # type: ignore[attr-defined]
    return membership


def organisations_of(user: Any) -> list[Organisation]:
    if not getattr(user, "is_authenticated", False):
        return []
    return list(Organisation.objects.filter(memberships__user=user).order_by("name"))
