from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompassConfig(AppConfig):
    name = "koers.compass"
    label = "compass"
    verbose_name = _("Carrière Kompas")
