from __future__ import annotations

from django.urls import path

from koers.inclusion import views

org_patterns = [
    path("inclusie/", views.results_page, name="inclusion_results"),
    path("inclusie/samenvatting/", views.summary_page, name="inclusion_summary"),
    path("inclusie/samenvatting/link/", views.summary_link, name="inclusion_summary_link"),
]

public_patterns = [
    path("inclusiemonitor/<str:token>/", views.summary_public, name="inclusion_summary_public"),
]
