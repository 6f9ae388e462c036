from __future__ import annotations

from django.urls import path

from koers.recruitment import views

org_patterns = [
    path("werving/", views.funnel_page, name="recruitment_funnel"),
    path("werving/importeren/", views.upload, name="recruitment_upload"),
]
