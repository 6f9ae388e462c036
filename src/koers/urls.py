from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from koers.api.api import api
from koers.compass import urls as compass_urls
from koers.scan import urls as scan_urls
from koers.surveys import urls as survey_urls
from koers.web import views

org_patterns = [
    path("", views.dashboard, name="dashboard"),
    path("members/", views.members, name="members"),
    path("members/<int:pk>/role/", views.change_role, name="change_role"),
    path("jobs/selfcheck/", views.start_selfcheck, name="start_selfcheck"),
    path("jobs/<int:pk>/", views.job_page, name="job"),
    path("jobs/<int:pk>/status.json", views.job_status, name="job_status"),
    *survey_urls.org_patterns,
    *scan_urls.org_patterns,
    *compass_urls.org_patterns,
]

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("o/<slug:org>/", include(org_patterns)),
    *survey_urls.respondent_patterns,
    *compass_urls.respondent_patterns,
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]
