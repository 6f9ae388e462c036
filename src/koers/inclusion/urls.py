from __future__ import annotations

from django.urls import path

from koers.inclusion import views

org_patterns = [
    path("inclusie/", views.results_page, name="inclusion_results"),
]
