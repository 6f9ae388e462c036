"""Gender Scan: HR data import, snapshots, metrics dashboard and baseline report."""

from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScanConfig(AppConfig):
    name = "koers.scan"
    label = "scan"
    verbose_name = _("Gender Scan")

    def ready(self) -> None:
        # A Django signal (Django's own registry stays in ready(), docs/architecture.md).
        from koers.scan.report_cache import watch_deletions

        watch_deletions()
