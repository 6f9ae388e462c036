"""Gender Scan: HR data import, snapshots, metrics dashboard and baseline report."""

from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScanConfig(AppConfig):
    name = "koers.scan"
    label = "scan"
    verbose_name = _("Gender Scan")

    def ready(self) -> None:
        import koers.scan.demo  # noqa: F401  (registers the demo scan loader)
        import koers.scan.jobs  # noqa: F401  (registers scan.read and scan.import)
        from koers.organisations.retention import register
        from koers.scan.report_cache import watch_deletions

        watch_deletions()
        from koers.scan.services import delete_expired_snapshots

        # docs/privacy.md: HR snapshots are kept 7 years (KOERS_RETAIN_HR_MONTHS).
        register("hr_snapshots", "KOERS_RETAIN_HR_MONTHS")(delete_expired_snapshots)
