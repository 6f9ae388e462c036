from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    name = "koers.organisations"
    label = "organisations"
    verbose_name = _("Organisaties")

    def ready(self) -> None:
        from koers.organisations.gdpr import watch_personal_data_deletions

        watch_personal_data_deletions()
