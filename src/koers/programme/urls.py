from __future__ import annotations

from django.urls import path

from koers.programme import views

org_patterns = [
    path("programma/", views.org_page, name="programme_org"),
    path("programma/<int:pk>/delen/", views.share, name="programme_share"),
    path("programma/<int:pk>/stoppen/", views.stop, name="programme_stop"),
]

office_patterns = [
    path("programma/<slug:slug>/", views.dashboard, name="programme_dashboard"),
]
