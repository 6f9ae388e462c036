from __future__ import annotations

from django.urls import path

from koers.reportbox import views

public_patterns = [
    path("meld/mijn-melding/", views.status, name="reportbox_status"),
    path("meld/<str:token>/", views.box, name="reportbox_public"),
]

org_patterns = [
    path("meldpunt/", views.inbox, name="reportbox_inbox"),
    path("meldpunt/instellingen/", views.settings_page, name="reportbox_settings"),
    path("meldpunt/mijn-gegevens/", views.adviser_profile, name="reportbox_profile"),
    path("meldpunt/<int:pk>/", views.report_detail, name="reportbox_report"),
    path("meldpunt/<int:pk>/actie/", views.report_action, name="reportbox_report_action"),
]
