from __future__ import annotations

from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "koers.web"
    label = "web"

    def ready(self) -> None:
        from koers.lib import hooks, redact

        # Request paths may hold a respondent's link secret: redact them in every log.
        redact.install()
        # Every app's extensions.py registers what it plugs in (koers.lib.hooks), once.
        hooks.discover()
