from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "koers.surveys"
    label = "surveys"
    verbose_name = _("Vragenlijsten")

    def ready(self) -> None:
        import koers.surveys.checks  # noqa: F401  (Django system check: SQLite version)
