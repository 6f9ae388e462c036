from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportBoxConfig(AppConfig):
    name = "koers.reportbox"
    label = "reportbox"
    verbose_name = _("Meldpunt")

    def ready(self) -> None:
        import koers.reportbox.demo  # noqa: F401  (registers the demo reporting box)
        import koers.reportbox.digest  # noqa: F401  (registers the daily overview task)
        from koers.organisations.retention import register
        from koers.reportbox.services import delete_closed_reports

        register("reports", "KOERS_RETAIN_REPORTS_MONTHS")(delete_closed_reports)
