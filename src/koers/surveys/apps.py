from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "koers.surveys"
    label = "surveys"
    verbose_name = _("Vragenlijsten")

    def ready(self) -> None:
        import koers.surveys.checks  # noqa: F401  (SQLite version check)
        import koers.surveys.demo  # noqa: F401  (registers the demo campaign)
        import koers.surveys.jobs  # noqa: F401  (registers the e-mail job handlers)
        from koers.organisations.retention import register
        from koers.surveys.services import delete_expired_answers

        register("survey_answers", "KOERS_RETAIN_ANSWERS_MONTHS")(delete_expired_answers)
