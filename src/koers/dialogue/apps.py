from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DialogueConfig(AppConfig):
    name = "koers.dialogue"
    label = "dialogue"
    verbose_name = _("Dialoog")
