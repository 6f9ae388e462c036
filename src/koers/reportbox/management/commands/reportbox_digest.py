from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from koers.reportbox.digest import send_digests


class Command(BaseCommand):
    help = "E-mail each confidential adviser how many new reports wait (run once a day)."

    def handle(self, *args: Any, **options: Any) -> str:
        return f"{send_digests()} e-mail(s) sent"
