"""Who may do what inside an organisation: the one table of roles and named permissions.

Every organisation page names one permission (``@org_view("scan.view")``), every API
endpoint too (``token_with(request, "jobs.view")``), and a view that shows more to some
roles asks :func:`koers.organisations.access.can`. Nothing else compares roles.
``tests/foundation/test_access_matrix.py`` reads this table: it opens every page as every
role and pins the table itself, so widening a permission is a decision the test records.

The privacy table of DESIGN.md decides the HR data rows: HR figures in full (with n) only
for the HR roles (``scan.view_all_figures``); everyone else who may open the Gender Scan
sees it with small cells suppressed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from koers.organisations.models import Role

A, H, M, W, C, R = (
    Role.ADMIN,
    Role.HR_ANALYST,
    Role.MANAGER,
    Role.WORKS_COUNCIL,
    Role.CONFIDENTIAL_ADVISER,
    Role.RESEARCHER,
)


@dataclass(frozen=True)
class Permission:
    roles: frozenset[str]
    # What it allows, as the end of "This token's role cannot …" (API refusals say it).
    allows: str


def _p(allows: str, *roles: Role) -> Permission:
    return Permission(frozenset(roles), allows)


PERMISSIONS: Mapping[str, Permission] = {
    # organisation (koers.web)
    "organisation.view": _p("see the organisation", A, H, M, W, C, R),
    "members.manage": _p("manage members and roles", A),
    "audit.view": _p("read the audit log", A),
    "organisation.manage_data": _p("export or delete the organisation", A),
    "jobs.view": _p("read jobs", A, H),
    # campaigns (koers.surveys)
    "campaigns.view": _p("see campaigns", A, H, M, R),
    "campaigns.manage": _p("create, invite to or close campaigns", A, H, R),
    "campaigns.export": _p("export research data", R),
    # Career Compass (koers.compass)
    "compass.view_shared_reports": _p("read reports shared with this person", A, H),
    "compass.view_teamscan": _p("see the team scan", A, H, M),
    "compass.fit_profiles": _p("check and fit profile models", A, H, R),
    # The check page's statistics (alpha, fit indices, BLRT); HR gets the plain summary.
    "compass.view_statistics": _p("see the profile model's statistics", A, R),
    # Gender Scan (koers.scan)
    "scan.view": _p("see the Gender Scan", A, H, M, W, R),
    "scan.view_all_figures": _p("see every Gender Scan figure with its n", A, H),
    "scan.manage": _p("upload HR data or delete a baseline", A, H),
    # reporting box (koers.reportbox)
    "reportbox.configure": _p("open, close or relink the reporting box", A, C),
    "reportbox.read": _p("read reports", C),
    # recruitment (koers.recruitment): applicant and appraisal data are HR data, for the HR
    # roles only.
    "recruitment.view": _p("see the selection funnel and appraisal parity", A, H),
    "recruitment.manage": _p("import applicant or appraisal files", A, H),
    # Vacancy texts are not personal data: whoever writes vacancies (managers too) checks them.
    "recruitment.check_vacancies": _p("check vacancy texts", A, H, M),
    # action plan (koers.plan): the works council reads the plan and records its advice
    # (WOR art. 28(3)) but cannot change it; managers read the plan they carry out.
    "plan.view": _p("see the action plan", A, H, M, W),
    "plan.manage": _p("change the action plan", A, H),
    "plan.advise": _p("record the works council's advice", W),
    # targets (koers.targets): the works council reads targets and progress (DESIGN.md);
    # figures of groups under k stay with HR (the scan's privacy rule).
    "targets.view": _p("see targets and progress", A, H, W),
    "targets.manage": _p("set targets and define the sub-top", A, H),
    # inclusion survey (koers.inclusion): the gaps between women and men, for HR and the
    # diversity lead (the HR analyst role); figures under the small-group rule for all.
    "inclusion.view_results": _p("see the inclusion survey results", A, H),
    # The summary shares only what the small-group rule lets everyone see (no open answers);
    # the works council reads it and its public link, HR switches that link on or off.
    "inclusion.view_summary": _p("see the inclusion survey summary", A, H, W),
    "inclusion.manage_summary_link": _p("switch the summary's public link on or off", A, H),
    # pay transparency (koers.paytransparency): the works council reads the categories and the
    # Art. 9 report (small groups suppressed as on the scan) and changes nothing; workers'
    # Art. 7 requests and letters hold one person's pay: HR roles only.
    "paytransparency.view": _p("see the pay report and the categories of workers", A, H, W),
    "paytransparency.manage": _p("change the categories of workers", A, H),
    "paytransparency.requests": _p("handle workers' pay information requests", A, H),
    # Art. 5: a vacancy's pay range is published with the vacancy; managers write vacancies.
    "paytransparency.pay_ranges": _p("see the pay ranges for vacancies", A, H, M, W),
    # dialogue tools (koers.dialogue): whoever leads a team conversation opens a session;
    # participants join with a code and have no account.
    "dialogue.facilitate": _p("run dialogue sessions", A, H, M),
    "dialogue.read_guide": _p("read the parent guide", A, H, M),
    # The fair-flexibility register: managers and HR record their team's decided requests;
    # the works council also sees the aggregates (nobody sees a single request).
    "dialogue.record_flexibility": _p("record requests for flexibility", A, H, M),
    "dialogue.view_flexibility": _p("see the fair-flexibility register", A, H, M, W),
    # research workspace (koers.research): whether the organisation's consenting Compass
    # respondents join an approved research project is the organisation's decision.
    "research.participate": _p("join or leave research projects", A),
    # sector programmes (koers.programme): the admin decides what the organisation shares
    # with a programme; HR and the works council see what is shared, the organisation's
    # benchmark and the programme office's query log.
    "programme.view": _p("see the organisation's sector programmes", A, H, W),
    "programme.manage": _p("join a sector programme or stop sharing", A),
}


def _check(name: str) -> Permission:
    try:
        return PERMISSIONS[name]
    except KeyError:
        raise ValueError(
            f"Unknown permission {name!r}: add it to koers.organisations.permissions.PERMISSIONS"
        ) from None


def known(name: str) -> str:
    """``name`` itself, or ValueError when the table has no such permission (a typo)."""
    _check(name)
    return name


def allows(role: str, name: str) -> bool:
    return role in _check(name).roles


def roles_with(name: str) -> frozenset[str]:
    return _check(name).roles


def describe(name: str) -> str:
    return _check(name).allows


def permissions_of(role: str) -> frozenset[str]:
    return frozenset(name for name, p in PERMISSIONS.items() if role in p.roles)
