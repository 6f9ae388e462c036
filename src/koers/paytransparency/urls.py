from __future__ import annotations

from django.urls import path

from koers.paytransparency import views

org_patterns = [
    path("loontransparantie/", views.overview, name="paytransparency"),
    path("loontransparantie/rapport.pdf", views.report_pdf, name="paytransparency_report_pdf"),
    path(
        "loontransparantie/rapport-g.pdf", views.report_g_pdf, name="paytransparency_report_g_pdf"
    ),
    path("loontransparantie/rapport.csv", views.report_csv, name="paytransparency_report_csv"),
    path("loontransparantie/rapport.json", views.report_json, name="paytransparency_report_json"),
    path("loontransparantie/categorieen/", views.categories, name="paytransparency_categories"),
    path(
        "loontransparantie/categorieen/bewerken/",
        views.categories_edit,
        name="paytransparency_categories_edit",
    ),
    path(
        "loontransparantie/categorieen/<int:pk>/instemming/",
        views.categories_agreement,
        name="paytransparency_agreement",
    ),
    path("loontransparantie/verzoeken/", views.requests_list, name="paytransparency_requests"),
    path(
        "loontransparantie/verzoeken/<int:pk>/",
        views.request_detail,
        name="paytransparency_request",
    ),
    path(
        "loontransparantie/verzoeken/<int:pk>/brief.pdf",
        views.request_letter,
        name="paytransparency_letter",
    ),
    path("loontransparantie/kennisgeving/", views.notice, name="paytransparency_notice"),
    path("loontransparantie/beoordeling/", views.assessments, name="paytransparency_assessments"),
    path(
        "loontransparantie/beoordeling/openen/",
        views.assessment_open,
        name="paytransparency_assessment_open",
    ),
    path(
        "loontransparantie/beoordeling/<int:pk>/",
        views.assessment_detail,
        name="paytransparency_assessment",
    ),
    path(
        "loontransparantie/beoordeling/<int:pk>/bewerken/",
        views.assessment_edit,
        name="paytransparency_assessment_edit",
    ),
]
