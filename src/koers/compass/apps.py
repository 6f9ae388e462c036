from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompassConfig(AppConfig):
    name = "koers.compass"
    label = "compass"
    verbose_name = _("Carrière Kompas")

    def ready(self) -> None:
        # A Django signal (Django's own registry stays in ready(), docs/architecture.md).
        from koers.compass import norm_store, population_cache

        norm_store.watch_deletions()
        population_cache.watch_deletions()
