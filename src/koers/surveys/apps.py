from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "koers.surveys"
    label = "surveys"
    verbose_name = _("Vragenlijsten")

    def ready(self) -> None:
        import koers.surveys.demo  # noqa: F401  (registers the demo campaign)
        import koers.surveys.jobs  # noqa: F401  (registers the e-mail job handlers)
