from __future__ import annotations

from django.urls import path

from koers.compass import manage_views, respond_views

respondent_patterns = [
    # Under the respondent's slot: the credential comes from its cookie (koers.surveys.urls).
    path("invullen/<str:slot>/rapport/", respond_views.report, name="compass_report"),
    path("invullen/<str:slot>/rapport.pdf", respond_views.report_pdf, name="compass_report_pdf"),
    path("invullen/<str:slot>/delen/", respond_views.share, name="compass_share"),
    path("invullen/<str:slot>/niet-delen/", respond_views.withdraw, name="compass_withdraw"),
]

org_patterns = [
    path("rapporten/", manage_views.shared_reports, name="compass_shared_list"),
    path("rapporten/<int:pk>/", manage_views.shared_report, name="compass_shared_report"),
    path("campaigns/<int:pk>/teamscan/", manage_views.campaign_scan, name="compass_scan"),
    path(
        "campaigns/<int:pk>/teamscan.pdf", manage_views.campaign_scan_pdf, name="compass_scan_pdf"
    ),
    path("campaigns/<int:pk>/profielen/", manage_views.campaign_profiles, name="compass_profiles"),
    path("campaigns/<int:pk>/profielen/schatten/", manage_views.campaign_fit, name="compass_fit"),
]
