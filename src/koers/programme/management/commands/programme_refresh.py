from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from koers.programme.extract import refresh_all


class Command(BaseCommand):
    help = "Refresh what every organisation shares with its sector programmes (run once a day)."

    def handle(self, *args: Any, **options: Any) -> str:
        return f"{refresh_all()} participation(s) refreshed"
