from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecruitmentConfig(AppConfig):
    name = "koers.recruitment"
    label = "recruitment"
    verbose_name = _("Werving en selectie")
