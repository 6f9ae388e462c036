from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from koers.organisations.demo import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Load the demo organisations, users and data (safe to run again)."

    def handle(self, *args: Any, **options: Any) -> str:
        lines = load_demo()
        url = getattr(settings, "SITE_URL", "http://127.0.0.1:8000")
        border = "=" * 72
        out = [
            border,
            f"Koers demo: {url}",
            f"Log in with any of these e-mail addresses, password: {DEMO_PASSWORD}",
            "Admins, HR analysts, the confidential adviser and the researcher also need a",
            "  code from an authenticator app (keys below; no app at hand?",
            "  `.venv/bin/koers manage demo_code EMAIL` prints the current code).",
            *("  " + line for line in lines),
            border,
        ]
        return "\n".join(out)
