from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def current_organisation(request: HttpRequest) -> dict[str, Any]:
    return {
        "organisation": getattr(request, "organisation", None),
        "membership": getattr(request, "membership", None),
        "min_group_size": settings.KOERS_MIN_GROUP_SIZE,
    }
