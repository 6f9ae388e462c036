"""The access-control matrix's tables: who may open which URL (the decision, as data).

``tests/foundation/test_access_matrix.py`` walks every URL as every persona against these
tables; ``bench/pages_bench.py`` walks the organisation pages as a role they allow. Adding a
page means adding it here: ``test_every_url_is_in_the_matrix`` fails until it is.
"""

from __future__ import annotations

from typing import Any

from django.urls import get_resolver, reverse

A, H, M, W, C, R = (
    "admin",
    "hr_analyst",
    "manager",
    "works_council",
    "confidential_adviser",
    "researcher",
)
ROLES = {"A": A, "H": H, "M": M, "W": W, "C": C, "R": R}

# The roles table, pinned: permission -> roles holding it. Widening a permission means
# changing this line as well, a decision the diff shows (DESIGN.md's privacy table: HR
# figures in full only for the HR roles, "scan.view_all_figures").
TABLE = {
    "organisation.view": "AHMWCR",
    "members.manage": "A",
    "audit.view": "A",
    "organisation.manage_data": "A",
    "jobs.view": "AH",
    "campaigns.view": "AHMR",
    "campaigns.manage": "AHR",
    "campaigns.export": "R",
    "compass.view_shared_reports": "AH",
    "compass.view_teamscan": "AHM",
    "compass.fit_profiles": "AHR",
    "compass.view_statistics": "AR",
    "scan.view": "AHMWR",
    "scan.view_all_figures": "AH",
    "scan.manage": "AH",
    "reportbox.configure": "AC",
    "reportbox.read": "C",
    "recruitment.view": "AH",
    "recruitment.manage": "AH",
    "recruitment.check_vacancies": "AHM",
    "plan.view": "AHMW",
    "plan.manage": "AH",
    "plan.advise": "W",
    "targets.view": "AHW",
    "targets.manage": "AH",
    "inclusion.view_results": "AH",
    "inclusion.view_summary": "AHW",
    "inclusion.manage_summary_link": "AH",
    "paytransparency.view": "AHW",
    "paytransparency.manage": "AH",
    "paytransparency.requests": "AH",
    "paytransparency.pay_ranges": "AHMW",
    "dialogue.facilitate": "AHM",
    "dialogue.read_guide": "AHM",
    "dialogue.record_flexibility": "AHM",
    "dialogue.view_flexibility": "AHMW",
    "research.participate": "A",
    "programme.view": "AHW",
    "programme.manage": "A",
}

# Organisation pages: name -> (method, permission). Members whose role lacks the permission
# get 403, anonymous visitors the login page, other organisations 404.
ORG = {
    "dashboard": ("GET", "organisation.view"),
    "members": ("GET", "members.manage"),
    "change_role": ("POST", "members.manage"),
    "member_remove": ("POST", "members.manage"),  # without confirm=yes: the confirmation page
    "member_invite": ("POST", "members.manage"),
    "member_invite_resend": ("POST", "members.manage"),
    "member_invite_revoke": ("POST", "members.manage"),
    "audit_log": ("GET", "audit.view"),
    "organisation_data": ("GET", "organisation.manage_data"),
    "start_selfcheck": ("POST", "jobs.view"),
    "job": ("GET", "jobs.view"),
    "job_status": ("GET", "jobs.view"),
    # A file made in the background (koers.jobs.downloads): every member may open these
    # pages, and then only the member who asked for that file (in the role they asked in).
    "download_job": ("GET", "organisation.view"),
    "download_job_status": ("GET", "organisation.view"),
    "download_file": ("GET", "organisation.view"),
    "campaign_list": ("GET", "campaigns.view"),
    "campaign_detail": ("GET", "campaigns.view"),
    "campaign_invite": ("POST", "campaigns.manage"),
    "campaign_remind": ("POST", "campaigns.manage"),
    "campaign_close": ("POST", "campaigns.manage"),
    "campaign_export": ("POST", "campaigns.export"),
    "compass_shared_list": ("GET", "compass.view_shared_reports"),
    # ... and then only the person it was shared with:
    "compass_shared_report": ("GET", "compass.view_shared_reports"),
    "compass_scan": ("GET", "compass.view_teamscan"),
    "compass_scan_pdf": ("POST", "compass.view_teamscan"),
    "compass_profiles": ("GET", "compass.fit_profiles"),
    "compass_fit": ("POST", "compass.fit_profiles"),
    "scan_home": ("GET", "scan.view"),
    "scan_snapshot": ("GET", "scan.view"),
    "scan_snapshot_pdf": ("POST", "scan.view"),
    "scan_snapshot_delete": ("POST", "scan.manage"),
    "scan_snapshot_replace": ("GET", "scan.manage"),
    "scan_snapshot_confirm": ("POST", "scan.manage"),
    "scan_snapshot_cancel": ("POST", "scan.manage"),
    "scan_snapshot_undo": ("POST", "scan.manage"),
    "scan_trend": ("GET", "scan.view"),
    "scan_compare": ("GET", "scan.view"),
    "scan_upload_new": ("GET", "scan.manage"),
    "scan_upload": ("GET", "scan.manage"),
    "scan_upload_progress": ("GET", "scan.manage"),
    "scan_upload_mapping": ("GET", "scan.manage"),
    "scan_upload_problems": ("GET", "scan.manage"),
    "scan_upload_problems_csv": ("GET", "scan.manage"),
    "scan_upload_import_valid": ("POST", "scan.manage"),
    "scan_upload_discard": ("POST", "scan.manage"),
    "reportbox_inbox": ("GET", "reportbox.read"),
    "reportbox_settings": ("GET", "reportbox.configure"),
    "reportbox_profile": ("GET", "reportbox.read"),
    "reportbox_report": ("GET", "reportbox.read"),
    "reportbox_report_action": ("POST", "reportbox.read"),
    "recruitment_funnel": ("GET", "recruitment.view"),
    "recruitment_upload": ("GET", "recruitment.manage"),
    "recruitment_appraisals": ("GET", "recruitment.view"),
    "recruitment_appraisal_upload": ("GET", "recruitment.manage"),
    "recruitment_vacancy_check": ("GET", "recruitment.check_vacancies"),
    "recruitment_vacancies": ("GET", "recruitment.check_vacancies"),
    "recruitment_vacancy": ("GET", "recruitment.check_vacancies"),
    "recruitment_vacancy_delete": ("POST", "recruitment.check_vacancies"),
    "plan_list": ("GET", "plan.view"),
    "plan_recommendations": ("GET", "plan.view"),
    "plan_new": ("GET", "plan.manage"),
    "plan_advice": ("GET", "plan.advise"),
    "plan_action": ("GET", "plan.view"),
    "plan_action_edit": ("GET", "plan.manage"),
    "plan_action_comment": ("POST", "plan.manage"),  # an empty comment: nothing saved
    "programme_org": ("GET", "programme.view"),
    "programme_share": ("POST", "programme.manage"),  # empty form: refused, nothing saved
    "programme_code": ("POST", "programme.manage"),  # empty code: refused, nothing counted
    "programme_stop": ("POST", "programme.manage"),
    "targets_list": ("GET", "targets.view"),
    "targets_new": ("GET", "targets.manage"),
    "targets_edit": ("GET", "targets.manage"),
    "targets_delete": ("POST", "targets.manage"),  # without confirm=yes: the confirmation page
    "targets_subtop": ("GET", "targets.manage"),
    "targets_monitor": ("GET", "targets.view"),
    "targets_ser": ("GET", "targets.view"),
    "targets_programme_day": ("GET", "targets.view"),
    "targets_programme_day_pdf": ("GET", "targets.view"),
    "targets_programme_day_csv": ("GET", "targets.view"),
    "targets_ser_save": ("POST", "targets.manage"),  # empty form: refused, nothing saved
    "targets_ser_pdf": ("GET", "targets.view"),
    "targets_ser_csv": ("GET", "targets.view"),
    "inclusion_results": ("GET", "inclusion.view_results"),
    "inclusion_summary": ("GET", "inclusion.view_summary"),
    "inclusion_summary_link": ("POST", "inclusion.manage_summary_link"),  # no action: nothing
    "paytransparency": ("GET", "paytransparency.view"),
    "paytransparency_report_pdf": ("GET", "paytransparency.view"),
    "paytransparency_report_g_pdf": ("GET", "paytransparency.view"),
    "paytransparency_report_csv": ("GET", "paytransparency.view"),
    "paytransparency_report_json": ("GET", "paytransparency.view"),
    "paytransparency_categories": ("GET", "paytransparency.view"),
    "paytransparency_categories_edit": ("GET", "paytransparency.manage"),
    "paytransparency_agreement": ("GET", "paytransparency.manage"),
    "paytransparency_requests": ("GET", "paytransparency.requests"),
    "paytransparency_personal_links": ("GET", "paytransparency.requests"),
    "paytransparency_request": ("GET", "paytransparency.requests"),
    "paytransparency_letter": ("GET", "paytransparency.requests"),
    "paytransparency_notice": ("GET", "paytransparency.requests"),
    "paytransparency_assessments": ("GET", "paytransparency.view"),
    "paytransparency_assessment_open": ("POST", "paytransparency.manage"),  # empty: nothing opened
    "paytransparency_assessment": ("GET", "paytransparency.view"),
    "paytransparency_assessment_edit": ("GET", "paytransparency.manage"),
    "paytransparency_remediation": ("GET", "paytransparency.view"),
    "paytransparency_charges": ("GET", "paytransparency.manage"),
    "paytransparency_link": ("POST", "paytransparency.requests"),  # empty: closes the link
    "paytransparency_notice_given": ("POST", "paytransparency.requests"),
    "paytransparency_pay_ranges": ("GET", "paytransparency.pay_ranges"),
    "paytransparency_pay_range_new": ("GET", "paytransparency.manage"),
    "paytransparency_pay_range_delete": ("POST", "paytransparency.manage"),  # no confirm: kept
    "dialogue_sessions": ("GET", "dialogue.facilitate"),
    "dialogue_deck": ("GET", "dialogue.facilitate"),
    "dialogue_session_new": ("GET", "dialogue.facilitate"),
    "dialogue_session": ("GET", "dialogue.facilitate"),
    "dialogue_session_control": ("POST", "dialogue.facilitate"),  # no action: 400
    "dialogue_summary": ("GET", "dialogue.facilitate"),
    "dialogue_summary_pdf": ("GET", "dialogue.facilitate"),
    "dialogue_guide": ("GET", "dialogue.read_guide"),
    "dialogue_flex": ("GET", "dialogue.view_flexibility"),
    "dialogue_flex_record": ("GET", "dialogue.record_flexibility"),
    "dialogue_flex_delete": ("POST", "dialogue.record_flexibility"),  # not the recorder: 302
    "research_organisation": ("GET", "research.participate"),
}

# Pages reached with a respondent's link: name -> (method, status with the right link).
# Anyone with a wrong link gets 404 (and is throttled after repeated tries). The link
# (``respond``, ``respond_legacy``) carries the secret in its URL and moves it into a
# cookie; every other page is under the response's slot and opens only with that cookie.
LINK_ENTRIES = {"respond", "respond_legacy"}
RESPONDENT = {
    "respond": ("GET", 302),
    "respond_legacy": ("GET", 302),  # an old deep link (/r/<secret>/rapport/): redirected
    "respond_home": ("GET", 302),  # finished: sent to the report
    "respond_section": ("GET", 302),  # finished: sent to the report
    "respond_save": ("POST", 400),  # finished: no more answers
    "respond_review": ("GET", 302),
    "respond_finish": ("POST", 302),
    "respond_done": ("GET", 200),
    "respond_delete": ("POST", 302),  # without confirmation: nothing deleted
    "respond_my_data": ("GET", 200),
    "compass_report": ("GET", 200),
    "compass_report_pdf": ("GET", 200),
    "compass_share": ("POST", 302),
    "compass_withdraw": ("POST", 302),
    "respond_research_consent": ("POST", 302),
}

# Public pages: name -> (method, status for anyone, logged in or not).
PUBLIC = {
    "home": ("GET", 200),
    "healthz": ("GET", 200),
    "privacy": ("GET", 200),
    "set_language": ("POST", 302),
    "login": ("GET", 200),
    "password_reset": ("GET", 200),
    "password_reset_done": ("GET", 200),
    "password_reset_complete": ("GET", 200),
    "campaign_landing": ("GET", 200),
    "resume": ("GET", 200),
    "reportbox_public": ("GET", 200),
    "reportbox_status": ("GET", 200),
    "paytransparency_public": ("GET", 200),  # while HR keeps the link open
    "paytransparency_public_status": ("GET", 200),
    "paytransparency_personal": ("GET", 200),  # a worker's personal link, until replaced
    "inclusion_summary_public": ("GET", 200),  # while HR keeps the link on
    "dialogue_join": ("GET", 200),
    "dialogue_costs": ("GET", 200),
    # Without the cookie set by joining with a session code: 404 for everyone.
    "dialogue_participate": ("GET", 404),
    "dialogue_state": ("GET", 404),
    "openapi-json": ("GET", 200),
    "openapi-view": ("GET", 200),
}
# Pages for anyone logged in (anonymous: the login page).
LOGGED_IN = {
    "logout": ("POST", 302),
    "password_change": ("GET", 200),
    "password_change_done": ("GET", 200),
    "twofactor_verify": ("GET", 200),
    "twofactor_setup": ("GET", 200),
}
# The research workspace (koers.research): project members only, whatever their roles in
# organisations (tests/research/test_pages.py opens each page as its researcher).
# name -> (method, status for a logged-in user who is no project member nor Koers staff).
RESEARCH = {
    "research_projects": ("GET", 200),
    "research_propose": ("GET", 200),  # any account proposes a project (and is its lead)
    "research_project": ("GET", 404),
    "research_members": ("POST", 404),  # a lead's; another member: 403 (test_workspace.py)
    "research_decide": ("GET", 404),
    "research_dataset": ("GET", 404),
    "research_analysis": ("GET", 404),
    "research_syntax": ("GET", 404),
}
# Token-authenticated API: without a token 401 (tests/foundation/test_api.py covers tokens).
API = {
    "organisation": "/api/v1/organisation",
    "job": "/api/v1/jobs/1",
    "api-root": "/api/v1/",
    "vacancy_check": "/api/v1/recruitment/vacancy-check",
}
API_POST = {"vacancy_check"}
# Programme office pages (koers.programme): only the office's own users; every member of an
# organisation gets 404, anonymous visitors the login page.
PROGRAMME = {
    "programme_dashboard": "GET",
    "programme_invite": "GET",
    "programme_invite_withdraw": "POST",  # an open invitation of the programme: withdrawn
}
# Need a valid one-time token: tests/foundation/test_web.py, tests/foundation/test_members.py.
SPECIAL = {"password_reset_confirm", "member_accept"}


def org_url(name: str, pks: dict[str, int], org: str = "alpha") -> str:
    pattern = next(
        p for p in get_resolver().url_patterns if str(getattr(p, "pattern", "")) == "o/<slug:org>/"
    )
    target = next(p for p in pattern.url_patterns if getattr(p, "name", None) == name)
    kwargs: dict[str, Any] = {"org": org}
    for arg in target.pattern.converters:
        if arg == "pk":
            prefix = next((k for k in pks if name.startswith(k)), name)
            kwargs["pk"] = pks.get(prefix, pks.get(name))
        elif arg == "fmt":
            kwargs["fmt"] = "csv"
    return reverse(name, kwargs=kwargs)
