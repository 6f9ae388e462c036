from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammeConfig(AppConfig):
    name = "koers.programme"
    label = "programme"
    verbose_name = _("Sectorprogramma's")

    def ready(self) -> None:
        import koers.programme.extract  # noqa: F401  (Celery task: the nightly refresh)
