"""The access-control matrix: every URL, as every persona, gets the expected answer.

Personas: anonymous, a respondent (holds the link of their own response), each role of
organisation A, and charlie (admin of organisation B). A URL that is not in the matrix
fails ``test_every_url_is_in_the_matrix``: adding a page means deciding who may open it.
Organisation pages name a permission; who holds it is read from the one roles table
(``koers.organisations.permissions``), which ``TABLE`` below pins.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from tests.foundation.access_tables import (
    API,
    API_POST,
    LINK_ENTRIES,
    LOGGED_IN,
    ORG,
    PROGRAMME,
    PUBLIC,
    RESEARCH,
    RESPONDENT,
    ROLES,
    SPECIAL,
    TABLE,
    A,
    C,
    H,
    M,
    R,
    W,
)
from tests.foundation.access_tables import (
    org_url as _org_url,
)

from koers.accounts.twofactor import STAFF_ROLES_REQUIRING_2FA
from koers.organisations.access import PERMISSION_ATTRIBUTE
from koers.organisations.models import Membership, Role
from koers.organisations.permissions import PERMISSIONS, roles_with


def _all_url_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns: list[Any], namespace: str = "") -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                if p.namespace == "admin":
                    continue
                walk(p.url_patterns, p.namespace or namespace)
            elif isinstance(p, URLPattern) and p.name:
                names.add(p.name)

    walk(get_resolver().url_patterns)
    return names


def test_every_url_is_in_the_matrix() -> None:
    known = (
        (set(ORG) | set(RESPONDENT) | set(PUBLIC) | set(LOGGED_IN) | set(RESEARCH) | set(API))
        | SPECIAL
        | set(PROGRAMME)
    )
    missing = _all_url_names() - known
    assert not missing, f"add these URLs to the access matrix: {sorted(missing)}"


def _letters(roles: frozenset[str]) -> str:
    return "".join(letter for letter, role in ROLES.items() if role in roles)


def test_the_roles_table_is_the_one_decided() -> None:
    assert {name: _letters(roles_with(name)) for name in PERMISSIONS} == TABLE
    assert {role for p in PERMISSIONS.values() for role in p.roles} <= set(Role.values)


def test_every_organisation_page_declares_the_permission_of_the_matrix() -> None:
    pattern = next(
        p for p in get_resolver().url_patterns if str(getattr(p, "pattern", "")) == "o/<slug:org>/"
    )
    declared = {
        p.name: getattr(p.callback, PERMISSION_ATTRIBUTE, None)
        for p in pattern.url_patterns
        if isinstance(p, URLPattern)
    }
    assert declared == {name: permission for name, (_method, permission) in ORG.items()}


def test_a_misspelt_permission_fails_when_the_view_is_declared() -> None:
    from koers.organisations.access import org_view

    with pytest.raises(ValueError, match="Unknown permission 'scan.veiw'"):
        org_view("scan.veiw")


def test_the_roles_needing_a_second_factor_are_roles() -> None:
    # accounts names them as plain values (it does not import organisations).
    assert set(STAFF_ROLES_REQUIRING_2FA) == {A, H, C, R}
    assert set(STAFF_ROLES_REQUIRING_2FA) <= set(Role.values)


@pytest.fixture
def world(org_a: Any, org_b: Any, alice: Any, charlie: Any, member_of: Any) -> dict[str, Any]:
    """Organisation A with one object per URL family, its members by role, and a respondent."""
    from django.utils import timezone

    from koers.compass.models import ReportShare
    from koers.jobs.models import Job, StoredDownload
    from koers.scan.demo import generate_rows
    from koers.scan.models import Upload
    from koers.scan.services import store_snapshot
    from koers.surveys import services
    from koers.surveys.models import Campaign

    users = {A: alice, **{role: member_of(role) for role in (H, M, W, C, R)}}
    campaign = Campaign.objects.create(
        organisation=org_a,
        name="Matrix",
        instrument_key="career_compass",
        instrument_version=1,
        mode=Campaign.Mode.INVITATIONS,
        public_token="matrix-open-link",
    )
    open_campaign = Campaign.objects.create(
        organisation=org_a,
        name="Open",
        instrument_key="career_compass",
        instrument_version=1,
        public_token="matrix-public",
    )
    started = services.start_open_response(open_campaign, "nl")
    services.finish_response(started.response, started.secret)
    share = ReportShare.objects.create(response=started.response, user=users[H])
    day = dt.date(2026, 6, 30)
    import pandas as pd

    from koers.hrfile import check_for_import, parse_employees, read_table, suggest_mapping
    from koers.scan.demo import dutch_export

    raw = read_table(dutch_export(generate_rows(40, seed=3, reference_date=day)), filename="x.csv")
    checked = check_for_import(parse_employees(raw, suggest_mapping(raw.headers)), day)
    assert isinstance(checked.employees, pd.DataFrame)
    snapshot = store_snapshot(org_a, day, checked.employees, filename="x.csv")
    upload = Upload.objects.create(
        organisation=org_a,
        filename="a.csv",
        reference_date=day,
        data=b"x",
        status=Upload.Status.INVALID,
        n_valid_rows=1,
        problems=[[3, "Geslacht", "x", "gender"]],
    )
    job = Job.objects.create(organisation=org_a, kind="selfcheck")
    pdf_job = Job.objects.create(
        organisation=org_a,
        kind="download",
        created_by=users[H],
        status=Job.Status.DONE,
        params={"builder": "scan.report", "role": H, "args": {"snapshot": 0}},
    )
    StoredDownload.objects.create(
        organisation=org_a,
        job=pdf_job,
        user=users[H],
        role=H,
        filename="x.pdf",
        content=b"%PDF-1.7",
        expires=timezone.now() + dt.timedelta(minutes=5),
    )
    from koers.reportbox import services as reportbox

    box = reportbox.box_of(org_a)
    box.is_open = True
    box.save()
    report = reportbox.receive(box, "other", "matrix").report
    from koers.organisations import invitations

    invitation, _token = invitations.invite(org_a, "new@alpha.example", "manager", users[A])
    from koers.recruitment.models import SavedVacancy

    vacancy = SavedVacancy.objects.create(
        organisation=org_a, text="Ingenieur", lang="nl", lean="too_few"
    )
    from koers.plan.models import Action

    action = Action.objects.create(organisation=org_a, measure="mentoring", owner="HR")
    from koers.targets.models import Target

    target = Target.objects.create(
        organisation=org_a, population="subtop", target_share=30, target_year=2028
    )
    from koers.inclusion.summary import enable_link

    summary_token = enable_link(org_a)
    from koers.paytransparency.models import CategoryScheme, InformationRequest, PayAssessment

    scheme = CategoryScheme.objects.create(organisation=org_a, version=1, weights={}, jobs={})
    staff = snapshot.frame()
    staff = staff[staff["exit_date"].isna() & (staff["management_layer"] != "supervisory_board")]
    pay_request = InformationRequest.objects.create(
        organisation=org_a, worker=str(staff["employee_id"].iloc[0]), received_on=day
    )
    assessment = PayAssessment.objects.create(organisation=org_a, category="x / 1", report_date=day)
    from koers.paytransparency import services as pay_services
    from koers.paytransparency.models import PayRange

    pay_desk = pay_services.desk_settings(org_a)
    pay_services.open_link(pay_desk, True)
    [(_number, pay_personal)] = pay_services.generate_personal_links(
        org_a, [("1", str(staff["employee_id"].iloc[0]))]
    )
    pay_range = PayRange.objects.create(
        organisation=org_a, category="x / 1", vacancy="Ingenieur", minimum=3000, maximum=4000
    )
    from koers.dialogue import services as dialogue

    dialogue_session, _code = dialogue.open_session(
        org_a, title="Matrix", team="T", audience="employees", card_keys=["culture-think-1"]
    )
    from koers.dialogue.models import FlexRequest
    from koers.programme.models import Participation, Programme

    flex = FlexRequest.objects.create(
        organisation=org_a,
        team="T",
        kind="hours",
        outcome="granted",
        reason="care",
        decided_on=day,
    )
    programme = Programme.objects.create(name="Matrix", slug="matrix")
    participation = Participation.objects.create(
        programme=programme, organisation=org_a, status="active", share_scan=True
    )
    pks = {
        "dialogue_flex_delete": flex.pk,
        "programme": participation.pk,
        "dialogue_session": dialogue_session.pk,
        "dialogue_summary": dialogue_session.pk,
        "job": job.pk,
        "download": pdf_job.pk,
        "campaign": campaign.pk,
        "compass_shared": share.pk,
        "compass": campaign.pk,
        "scan_upload": upload.pk,
        "scan_snapshot": snapshot.pk,
        "change_role": Membership.objects.get(user=users[M]).pk,
        "member_remove": Membership.objects.get(user=users[M]).pk,
        "member_invite": invitation.pk,
        "reportbox_report": report.pk,
        "recruitment_vacancy": vacancy.pk,
        "plan_action": action.pk,
        "targets_edit": target.pk,
        "targets_delete": target.pk,
        "paytransparency_agreement": scheme.pk,
        "paytransparency_request": pay_request.pk,
        "paytransparency_letter": pay_request.pk,
        "paytransparency_assessment": assessment.pk,
        "paytransparency_assessment_edit": assessment.pk,
        "paytransparency_pay_range_delete": pay_range.pk,
    }
    return {
        "users": users,
        "charlie": charlie,
        "pks": pks,
        "secret": started.secret,
        "token": "matrix-public",
        "box_token": box.public_token,
        "summary_token": summary_token,
        "pay_token": pay_desk.public_token,
        "pay_personal": pay_personal,
    }


OK = {200, 302, 400}


@pytest.mark.parametrize("name", sorted(ORG))
def test_organisation_pages_follow_the_matrix(
    client: Any, world: dict[str, Any], name: str
) -> None:
    method, permission = ORG[name]
    allowed = _letters(roles_with(permission))
    url = _org_url(name, world["pks"])
    call = client.post if method == "POST" else client.get
    # Anonymous (and a respondent, who has no account): the login page.
    anonymous = call(url)
    assert anonymous.status_code == 302, name
    assert anonymous["Location"].startswith(reverse("login"))
    # Charlie, of another organisation: 404, as if the organisation did not exist.
    client.force_login(world["charlie"])
    assert call(url).status_code == 404, name
    # Each role of A.
    for letter, role in ROLES.items():
        client.force_login(world["users"][role])
        status = call(url).status_code
        if letter not in allowed:
            assert status == 403, f"{name} as {role}: {status}"
        elif name == "compass_shared_report" and role != H:
            assert status == 404, f"{name} as {role} (not shared with them): {status}"
        elif name.startswith("download_") and role != H:
            assert status == 404, f"{name} as {role} (not asked for by them): {status}"
        else:
            assert status in OK, f"{name} as {role}: {status}"
        url = _org_url(name, world["pks"])  # an earlier POST may have changed state


@pytest.mark.parametrize("name", sorted(RESPONDENT))
def test_respondent_pages_open_only_with_the_link(
    client: Any, world: dict[str, Any], name: str
) -> None:
    from koers.surveys import links

    method, expected = RESPONDENT[name]
    call = client.post if method == "POST" else client.get
    extra = {"section": "start"} if name == "respond_section" else {}
    if name in LINK_ENTRIES:
        rest = {"rest": "rapport/"} if name == "respond_legacy" else {}
        right = reverse(name, kwargs={"credential": world["secret"], **rest})
        assert call(right).status_code == expected
        wrong = reverse(name, kwargs={"credential": "not-the-link-" + "x" * 30, **rest})
        for user in (None, world["users"][A], world["charlie"]):
            if user is not None:
                client.force_login(user)
            assert call(wrong).status_code == 404, name
        return
    slot = links.slot_of(world["secret"])
    url = reverse(name, kwargs={"slot": slot, **extra})
    # Knowing the slot (it is no secret) opens nothing: not anonymously, not with an account.
    for user in (None, world["users"][A], world["charlie"]):
        if user is not None:
            client.force_login(user)
        assert call(url).status_code == 404, name
    client.cookies[links.cookie_name(slot)] = "not-the-link-" + "x" * 30  # a guessed cookie
    assert call(url).status_code == 404, name
    client.logout()
    client.get(reverse("respond", kwargs={"credential": world["secret"]}))  # the cookie
    assert call(url).status_code == expected, name


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_public_pages_open_for_everyone(client: Any, world: dict[str, Any], name: str) -> None:
    method, expected = PUBLIC[name]
    tokens = {
        "campaign_landing": world["token"],
        "reportbox_public": world["box_token"],
        "inclusion_summary_public": world["summary_token"],
        "paytransparency_public": world["pay_token"],
    }
    kwargs = {"token": tokens[name]} if name in tokens else {}
    if name == "paytransparency_personal":
        kwargs = {"secret": world["pay_personal"]}
    url = reverse(name, kwargs=kwargs) if not name.startswith("openapi") else reverse(f"api:{name}")
    call = client.post if method == "POST" else client.get
    assert call(url, {"language": "en"} if name == "set_language" else {}).status_code == expected
    client.force_login(world["users"][M])
    response = call(url, {"language": "en"} if name == "set_language" else {})
    assert response.status_code in (expected, 302), name


@pytest.mark.parametrize("name", sorted(LOGGED_IN))
def test_account_pages_need_a_login(client: Any, world: dict[str, Any], name: str) -> None:
    method, expected = LOGGED_IN[name]
    call = client.post if method == "POST" else client.get
    anonymous = call(reverse(name))
    assert anonymous.status_code == 302
    assert reverse("login") in anonymous["Location"] or name == "logout"
    client.force_login(world["users"][H])
    assert call(reverse(name)).status_code in (expected, 302)


@pytest.mark.parametrize("name", sorted(RESEARCH))
def test_research_pages_open_only_for_project_members(
    client: Any, world: dict[str, Any], name: str
) -> None:
    from koers.research.models import ResearchProject

    ResearchProject.objects.create(slug="matrix", title="M", description="M", state="approved")
    method, expected = RESEARCH[name]
    no_project = {"research_projects", "research_propose"}
    kwargs: dict[str, str] = {} if name in no_project else {"project": "matrix"}
    if name in {"research_analysis", "research_syntax"}:
        kwargs["key"] = "any"
    if name == "research_syntax":
        kwargs["lang"] = "r"
    if name == "research_dataset":
        kwargs["fmt"] = "csv"
    url = reverse(name, kwargs=kwargs)
    call = client.post if method == "POST" else client.get
    anonymous = call(url)
    assert anonymous.status_code == 302
    assert reverse("login") in anonymous["Location"]
    # Every role of organisation A, and charlie of B: no project member, so nothing opens.
    for user in (*world["users"].values(), world["charlie"]):
        client.force_login(user)
        assert call(url).status_code == expected, name


@pytest.mark.parametrize("name", sorted(PROGRAMME))
def test_programme_pages_open_only_for_the_programme_office(
    client: Any, world: dict[str, Any], name: str
) -> None:
    from django.contrib.auth import get_user_model

    from koers.programme import services
    from koers.programme.models import OfficeMember, Programme

    programme = Programme.objects.get(slug="matrix")
    invitation, _code = services.create_invitation(programme, "Matrix BV", None)
    kwargs: dict[str, Any] = {"slug": "matrix"}
    if name == "programme_invite_withdraw":
        kwargs["pk"] = invitation.pk
    url = reverse(name, kwargs=kwargs)
    call = client.post if PROGRAMME[name] == "POST" else client.get
    assert call(url).status_code == 302
    for user in (*world["users"].values(), world["charlie"]):
        client.force_login(user)
        assert call(url).status_code == 404
    invitation.refresh_from_db()
    assert invitation.withdrawn is None
    office = get_user_model().objects.create_user(username="office@matrix.example")
    OfficeMember.objects.create(programme=programme, user=office)
    client.force_login(office)
    assert call(url).status_code == (302 if PROGRAMME[name] == "POST" else 200)
    invitation.refresh_from_db()
    assert (invitation.withdrawn is not None) == (name == "programme_invite_withdraw")


@pytest.mark.parametrize("name", sorted(API))
def test_the_api_needs_a_token(client: Any, world: dict[str, Any], name: str) -> None:
    client.force_login(world["users"][A])  # a browser session is not an API credential
    call = client.post if name in API_POST else client.get
    assert call(API[name], {}, content_type="application/json").status_code in (401, 404)


@pytest.mark.parametrize("letter", sorted(ROLES))
def test_every_link_a_role_is_shown_opens_for_that_role(
    client: Any, world: dict[str, Any], letter: str
) -> None:
    """Templates ask the permissions table (``can``), never a role: no member is offered a
    link into their own organisation that then answers 403."""
    import re

    client.force_login(world["users"][ROLES[letter]])
    pages = [reverse("dashboard", kwargs={"org": "alpha"})]
    detail = _org_url("campaign_detail", world["pks"])
    if client.get(detail).status_code == 200:
        pages.append(detail)
    seen: set[str] = set()
    for page in pages:
        html = client.get(page).content.decode()
        links = set(re.findall(r'href="(/o/alpha/[^"#?]*)', html)) - seen
        assert links, f"{page} shows {letter} no organisation links"
        for href in sorted(links):
            seen.add(href)
            status = client.get(href).status_code
            assert status != 403, f"{ROLES[letter]} is shown {href} on {page}, which answers 403"
