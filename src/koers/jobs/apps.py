from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "koers.jobs"
    label = "jobs"
    verbose_name = _("Achtergrondtaken")

    def ready(self) -> None:
        # Make sure the Celery app (and so the task registry) exists in every process.
        import koers.celery  # noqa: F401
