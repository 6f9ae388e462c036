from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportBoxConfig(AppConfig):
    name = "koers.reportbox"
    label = "reportbox"
    verbose_name = _("Meldpunt")

    def ready(self) -> None:
        import koers.reportbox.digest  # noqa: F401  (Celery task: the daily overview)
