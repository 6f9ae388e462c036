from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PayTransparencyConfig(AppConfig):
    name = "koers.paytransparency"
    label = "paytransparency"
    verbose_name = _("Loontransparantie")
