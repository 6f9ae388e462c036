from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompassConfig(AppConfig):
    name = "koers.compass"
    label = "compass"
    verbose_name = _("Carrière Kompas")

    def ready(self) -> None:
        import koers.compass.demo  # noqa: F401  (registers the demo respondents)
        import koers.compass.jobs  # noqa: F401  (registers the model-fitting job)
        from koers.compass.norm_store import watch_deletions
        from koers.compass.services import process_finished
        from koers.surveys.services import FINISH_HOOKS

        watch_deletions()
        if process_finished not in FINISH_HOOKS:
            FINISH_HOOKS.append(process_finished)
        from koers.compass.services import derived_data
        from koers.surveys.respond_views import DATA_EXPORT_HOOKS

        if derived_data not in DATA_EXPORT_HOOKS:
            DATA_EXPORT_HOOKS.append(derived_data)
