"""The audit log: one call per view or export of organisation data."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from koers.organisations.models import AuditEvent, Organisation


def record(
    organisation: Organisation,
    user: Any,
    action: str,
    target: object = "",
    detail: Mapping[str, Any] | None = None,
) -> None:
    """Log who opened what; ``detail`` holds the request's parameters (e.g. the filters of a
    team scan view or export), never the figures shown."""
    AuditEvent.objects.create(
        organisation=organisation,
        user=user if getattr(user, "is_authenticated", False) else None,
        action=action,
        target=str(target)[:200],
        detail=dict(detail or {}),
    )
