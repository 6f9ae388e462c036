"""Access to organisation pages: one decorator with a named permission, one request type.

``@org_view("scan.view")`` resolves ``<slug:org>`` from the URL, checks that the user is a
member whose role holds the permission (the table is :mod:`koers.organisations.permissions`)
and hands the view an :class:`OrgRequest` with ``organisation`` and ``membership`` set. A
non-member gets 404 (an organisation's existence is not confirmed to outsiders); a member
without the permission 403. A view that shows more to some roles asks :func:`can`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, cast
from urllib.parse import urlencode

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from koers.accounts.twofactor import needs_2fa
from koers.organisations.models import Membership, Organisation
from koers.organisations.permissions import allows, known

View = Callable[..., HttpResponse]
# The permission a decorated view requires, kept on the view (and on views wrapping it with
# functools.wraps) so tests/foundation/test_access_matrix.py can read it per URL.
PERMISSION_ATTRIBUTE = "koers_permission"


class OrgRequest(HttpRequest):
    """A request that :func:`org_view` let through: the member and their organisation."""

    organisation: Organisation
    membership: Membership


def get_membership(user: Any, slug: str) -> Membership | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        Membership.objects.select_related("organisation")
        .filter(user=user, organisation__slug=slug)
        .first()
    )


def org_view(permission: str) -> Callable[[View], View]:
    """Protect an organisation page: only members whose role holds ``permission``."""
    known(permission)  # a misspelt name fails when the module is imported

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, org: str, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            membership = get_membership(request.user, org)
            if membership is None:
                raise Http404("Organisation not found")
            if not allows(membership.role, permission):
                raise PermissionDenied("Your role does not give access to this page")
            step = needs_2fa(request)
            if step is not None:
                target = reverse("twofactor_setup" if step == "setup" else "twofactor_verify")
                return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
            org_request = cast(OrgRequest, request)
            org_request.organisation = membership.organisation
            org_request.membership = membership
            return view(org_request, *args, **kwargs)

        setattr(wrapper, PERMISSION_ATTRIBUTE, permission)
        return wrapper

    return decorator


def can(request: OrgRequest, permission: str) -> bool:
    """Whether the member behind this request holds ``permission`` (for views that show more)."""
    return allows(request.membership.role, permission)


def organisations_of(user: Any) -> list[Organisation]:
    if not getattr(user, "is_authenticated", False):
        return []
    return list(Organisation.objects.filter(memberships__user=user).order_by("name"))
