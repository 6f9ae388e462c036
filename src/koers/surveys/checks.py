"""System checks: what the autosave's SQL needs from the database."""

from __future__ import annotations

import sqlite3
from typing import Any

from django.conf import settings
from django.core.checks import Error, register
from django.db import connections

SQLITE_MINIMUM = (3, 35)  # UPDATE … RETURNING (koers.surveys.hot_path)


@register()
def sqlite_supports_returning(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    uses_sqlite = any(connections[alias].vendor == "sqlite" for alias in settings.DATABASES)
    if not uses_sqlite or sqlite3.sqlite_version_info >= SQLITE_MINIMUM:
        return []
    return [
        Error(
            f"SQLite {sqlite3.sqlite_version} is too old: Koers needs "
            f"{'.'.join(map(str, SQLITE_MINIMUM))} or newer (UPDATE … RETURNING).",
            hint="Use a Python built with a newer SQLite, or PostgreSQL.",
            id="koers.E001",
        )
    ]
