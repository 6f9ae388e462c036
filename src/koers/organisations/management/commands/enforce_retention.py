from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from koers.organisations.retention import enforce


class Command(BaseCommand):
    help = "Delete data past its retention period (run daily, e.g. from cron)."

    def handle(self, *args: Any, **options: Any) -> str:
        removed = enforce()
        return "\n".join(f"{kind}: {n} removed" for kind, n in removed.items())
