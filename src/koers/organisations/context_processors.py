from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from koers.organisations.permissions import permissions_of


def current_organisation(request: HttpRequest) -> dict[str, Any]:
    """The organisation of the page, the member, and ``can``: the named permissions of the
    member's role, so templates ask ``{% if "members.manage" in can %}`` and never compare
    roles (organisations/permissions.py is the one table)."""
    membership = getattr(request, "membership", None)
    return {
        "organisation": getattr(request, "organisation", None),
        "membership": membership,
        "can": permissions_of(membership.role) if membership is not None else frozenset(),
        "min_group_size": settings.KOERS_MIN_GROUP_SIZE,
    }
