from __future__ import annotations

from django.urls import path

from koers.research import views

research_patterns = [
    path("onderzoek/", views.project_list, name="research_projects"),
    # before <slug:project>/: "nieuw" is no project (services.RESERVED_SLUGS)
    path("onderzoek/nieuw/", views.project_propose, name="research_propose"),
    path("onderzoek/<slug:project>/", views.project_detail, name="research_project"),
    path("onderzoek/<slug:project>/besluit/", views.project_decide, name="research_decide"),
    path("onderzoek/<slug:project>/leden/", views.project_members, name="research_members"),
    path(
        "onderzoek/<slug:project>/data.<str:fmt>",
        views.dataset_download,
        name="research_dataset",
    ),
    path(
        "onderzoek/<slug:project>/analyse/<slug:key>/",
        views.analysis,
        name="research_analysis",
    ),
    path(
        "onderzoek/<slug:project>/analyse/<slug:key>/syntax.<str:lang>",
        views.syntax_download,
        name="research_syntax",
    ),
]

org_patterns = [
    path("onderzoek/", views.organisation_page, name="research_organisation"),
]
