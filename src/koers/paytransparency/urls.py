from __future__ import annotations

from django.urls import path

from koers.paytransparency import assessment_views, public_views, views

public_patterns = [
    path("loonvraag/mijn-verzoek/", public_views.own_status, name="paytransparency_public_status"),
    path(
        "loonvraag/persoonlijk/<str:secret>/",
        public_views.personal_request,
        name="paytransparency_personal",
    ),
    path("loonvraag/<str:token>/", public_views.own_request, name="paytransparency_public"),
]

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
        "loontransparantie/verzoeken/persoonlijke-links/",
        views.personal_links,
        name="paytransparency_personal_links",
    ),
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
    path(
        "loontransparantie/beoordeling/",
        assessment_views.assessments,
        name="paytransparency_assessments",
    ),
    path(
        "loontransparantie/beoordeling/openen/",
        assessment_views.assessment_open,
        name="paytransparency_assessment_open",
    ),
    path(
        "loontransparantie/beoordeling/<int:pk>/",
        assessment_views.assessment_detail,
        name="paytransparency_assessment",
    ),
    path(
        "loontransparantie/beoordeling/<int:pk>/bewerken/",
        assessment_views.assessment_edit,
        name="paytransparency_assessment_edit",
    ),
    path(
        "loontransparantie/herstelkosten/",
        assessment_views.remediation,
        name="paytransparency_remediation",
    ),
    path(
        "loontransparantie/herstelkosten/lasten/",
        assessment_views.remediation_charges,
        name="paytransparency_charges",
    ),
    path("loontransparantie/verzoeken/link/", views.request_link, name="paytransparency_link"),
    path(
        "loontransparantie/kennisgeving/gegeven/",
        views.notice_given,
        name="paytransparency_notice_given",
    ),
    path("loontransparantie/loonschalen/", views.pay_ranges, name="paytransparency_pay_ranges"),
    path(
        "loontransparantie/loonschalen/nieuw/",
        views.pay_range_new,
        name="paytransparency_pay_range_new",
    ),
    path(
        "loontransparantie/loonschalen/<int:pk>/verwijderen/",
        views.pay_range_delete,
        name="paytransparency_pay_range_delete",
    ),
]
