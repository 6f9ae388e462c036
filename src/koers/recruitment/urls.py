from __future__ import annotations

from django.urls import path

from koers.recruitment import vacancy_views, views

org_patterns = [
    path("werving/", views.funnel_page, name="recruitment_funnel"),
    path("werving/importeren/", views.upload, name="recruitment_upload"),
    path(
        "werving/vacaturetekst/",
        vacancy_views.vacancy_check,
        name="recruitment_vacancy_check",
    ),
    path("werving/vacatures/", vacancy_views.vacancy_history, name="recruitment_vacancies"),
    path(
        "werving/vacatures/<int:pk>/",
        vacancy_views.vacancy_detail,
        name="recruitment_vacancy",
    ),
    path(
        "werving/vacatures/<int:pk>/verwijderen/",
        vacancy_views.vacancy_delete,
        name="recruitment_vacancy_delete",
    ),
]
