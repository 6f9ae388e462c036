from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from koers.accounts import views as account_views
from koers.accounts.admin_site import KoersAdminSite
from koers.api.api import api
from koers.compass import urls as compass_urls
from koers.dialogue import urls as dialogue_urls
from koers.inclusion import urls as inclusion_urls
from koers.jobs import views as job_views
from koers.paytransparency import urls as paytransparency_urls
from koers.plan import urls as plan_urls
from koers.programme import urls as programme_urls
from koers.recruitment import urls as recruitment_urls
from koers.reportbox import urls as reportbox_urls
from koers.research import urls as research_urls
from koers.scan import urls as scan_urls
from koers.surveys import urls as survey_urls
from koers.targets import urls as targets_urls
from koers.web import audit_views, member_views, views

org_patterns = [
    path("", views.dashboard, name="dashboard"),
    path("members/", views.members, name="members"),
    path("members/<int:pk>/role/", views.change_role, name="change_role"),
    path("members/<int:pk>/remove/", member_views.member_remove, name="member_remove"),
    path("members/invite/", member_views.member_invite, name="member_invite"),
    path(
        "members/invite/<int:pk>/resend/",
        member_views.member_invite_resend,
        name="member_invite_resend",
    ),
    path(
        "members/invite/<int:pk>/revoke/",
        member_views.member_invite_revoke,
        name="member_invite_revoke",
    ),
    path("audit/", audit_views.audit_log, name="audit_log"),
    path("gegevens/", views.organisation_data, name="organisation_data"),
    path("jobs/selfcheck/", views.start_selfcheck, name="start_selfcheck"),
    path("jobs/<int:pk>/", views.job_page, name="job"),
    path("jobs/<int:pk>/status.json", views.job_status, name="job_status"),
    path("download/<int:pk>/", job_views.download_job, name="download_job"),
    path(
        "download/<int:pk>/status.json", job_views.download_job_status, name="download_job_status"
    ),
    path("download/<int:pk>/bestand/", job_views.download_file, name="download_file"),
    *survey_urls.org_patterns,
    *scan_urls.org_patterns,
    *compass_urls.org_patterns,
    *reportbox_urls.org_patterns,
    *recruitment_urls.org_patterns,
    *plan_urls.org_patterns,
    *targets_urls.org_patterns,
    *inclusion_urls.org_patterns,
    *paytransparency_urls.org_patterns,
    *dialogue_urls.org_patterns,
    *research_urls.org_patterns,
    *programme_urls.org_patterns,
]

# The Django admin asks for the authenticator code too, and logs in through our login.
admin.site.__class__ = KoersAdminSite

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("privacy/", views.privacy, name="privacy"),
    path("uitnodiging/<str:token>/", member_views.accept, name="member_accept"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/login/", account_views.LoginView.as_view(), name="login"),
    path("accounts/2fa/", account_views.verify, name="twofactor_verify"),
    path("accounts/2fa/setup/", account_views.setup, name="twofactor_setup"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("o/<slug:org>/", include(org_patterns)),
    *programme_urls.office_patterns,
    *survey_urls.respondent_patterns,
    *compass_urls.respondent_patterns,
    *reportbox_urls.public_patterns,
    *inclusion_urls.public_patterns,
    *dialogue_urls.public_patterns,
    *paytransparency_urls.public_patterns,
    *research_urls.research_patterns,
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]
