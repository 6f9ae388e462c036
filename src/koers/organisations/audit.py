"""The audit log: one call per view or export of organisation data."""

from __future__ import annotations

from typing import Any

from koers.organisations.models import AuditEvent, Organisation


def record(organisation: Organisation, user: Any, action: str, target: object = "") -> None:
    AuditEvent.objects.create(
        organisation=organisation,
        user=user if getattr(user, "is_authenticated", False) else None,
        action=action,
        target=str(target)[:200],
    )
