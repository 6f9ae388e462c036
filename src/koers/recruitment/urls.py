from __future__ import annotations

from django.urls import path

from koers.recruitment import appraisal_views, vacancy_views, views

org_patterns = [
    path("werving/", views.funnel_page, name="recruitment_funnel"),
    path("werving/importeren/", views.upload, name="recruitment_upload"),
    path(
        "werving/vacaturetekst/",
        vacancy_views.vacancy_check,
        name="recruitment_vacancy_check",
    ),
    path("beoordelingen/", appraisal_views.appraisals_page, name="recruitment_appraisals"),
    path(
        "beoordelingen/importeren/",
        appraisal_views.appraisal_upload,
        name="recruitment_appraisal_upload",
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
