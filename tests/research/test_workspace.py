"""Researchers run their own projects: propose one on /onderzoek/nieuw/, Koers staff
decide, the lead adds and removes members on the project page (logged there); and an
analysis that raises is an error of Koers (500, logged), not a refusal."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import replace
from typing import Any

import numpy as np
import pytest
from django.utils import timezone

from koers.research import services
from koers.research.models import AccessLog, ProjectMember, ResearchProject
from tests.conftest import _user
from tests.research.conftest import make_responses, take_part

PROPOSE = "/onderzoek/nieuw/"


def _proposal(**changes: Any) -> dict[str, str]:
    data = {
        "title": "Terugkeer na verlof",
        "research_question": "Verandert de carrière-duidelijkheid na ouderschapsverlof?",
        "institution": "Universiteit Voorbeeld",
        "planned_end": (timezone.localdate() + dt.timedelta(days=200)).isoformat(),
        "data_needed": "Gender, contracturen en de carrièreschalen.",
        "ethics_reference": "ETC-2026-041",
    }
    data.update(changes)
    return data


def _members(project: ResearchProject) -> dict[str, str]:
    return {m.user.email: m.role for m in project.members.select_related("user")}


@pytest.fixture
def staffer(db: Any) -> Any:
    user = _user("staf@koers.example")
    user.is_staff = True
    user.save()
    return user


def test_propose_approve_add_a_member_who_then_sees_the_project(
    client: Any, researcher: Any, staffer: Any
) -> None:
    bob = _user("bob@uni.example")
    client.force_login(researcher)
    form = client.get(PROPOSE)
    assert form.status_code == 200
    assert 'for="id_research_question"' in form.content.decode()
    response = client.post(PROPOSE, _proposal())
    project = ResearchProject.objects.get(title="Terugkeer na verlof")
    assert response.status_code == 302
    assert response["Location"] == f"/onderzoek/{project.slug}/"
    assert project.state == ResearchProject.State.PENDING
    assert project.lead == researcher
    assert project.institution == "Universiteit Voorbeeld"
    assert project.ethics_reference == "ETC-2026-041"
    assert project.planned_end == timezone.localdate() + dt.timedelta(days=200)
    assert _members(project) == {"sanne@uni.example": "lead"}
    page = client.get(f"/onderzoek/{project.slug}/").content.decode()
    assert "Wacht op goedkeuring" in page
    assert "Verandert de carrière-duidelijkheid" in page
    assert "sanne@uni.example stelde het project voor" in page

    # Koers staff see it among the projects awaiting a decision, and approve it.
    client.force_login(staffer)
    listing = client.get("/onderzoek/").content.decode()
    assert f"/onderzoek/{project.slug}/besluit/" in listing
    decide = client.get(f"/onderzoek/{project.slug}/besluit/").content.decode()
    assert "ETC-2026-041" in decide
    client.post(f"/onderzoek/{project.slug}/besluit/", {"decision": "approve"})
    project.refresh_from_db()
    assert project.is_approved
    assert project.decided_by == staffer

    # The lead adds bob (case and spaces in the address do not matter).
    client.force_login(researcher)
    added = client.post(
        f"/onderzoek/{project.slug}/leden/",
        {"action": "add", "email": " Bob@Uni.example ", "role": "researcher"},
    )
    assert added.status_code == 302
    assert _members(project) == {"sanne@uni.example": "lead", "bob@uni.example": "researcher"}
    log = AccessLog.objects.get(project=project, action="research.member.add")
    assert (log.user, log.target) == (researcher, "bob@uni.example")
    assert "sanne@uni.example voegde bob@uni.example toe" in (
        client.get(f"/onderzoek/{project.slug}/").content.decode()
    )

    # bob sees the project among his own and opens it.
    client.force_login(bob)
    assert f"/onderzoek/{project.slug}/" in client.get("/onderzoek/").content.decode()
    assert client.get(f"/onderzoek/{project.slug}/").status_code == 200


def test_a_proposal_with_mistakes_says_what_to_fix(client: Any, researcher: Any) -> None:
    client.force_login(researcher)
    yesterday = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    page = client.post(PROPOSE, _proposal(planned_end=yesterday, ethics_reference=""))
    html = page.content.decode()
    assert page.status_code == 200
    assert "error-summary" in html
    assert "Kies een einddatum in de toekomst." in html
    assert 'href="#id_ethics_reference"' in html
    assert 'aria-invalid="true"' in html
    assert not ResearchProject.objects.exists()


def test_a_proposal_never_takes_a_page_of_the_workspace_as_its_slug(
    client: Any, researcher: Any
) -> None:
    client.force_login(researcher)
    client.post(PROPOSE, _proposal(title="Nieuw"))
    client.post(PROPOSE, _proposal(title="Nieuw"))
    slugs = sorted(ResearchProject.objects.values_list("slug", flat=True))
    assert slugs == ["nieuw-2", "nieuw-3"]
    assert client.get("/onderzoek/nieuw/").status_code == 200  # still the form


def test_open_proposals_are_limited(client: Any, researcher: Any) -> None:
    client.force_login(researcher)
    for i in range(services.MAX_OPEN_PROPOSALS):
        assert client.post(PROPOSE, _proposal(title=f"Voorstel {i}")).status_code == 302
    page = client.post(PROPOSE, _proposal(title="Een te veel"))
    assert page.status_code == 200
    assert "voorstellen die op een besluit wachten" in page.content.decode()
    assert ResearchProject.objects.count() == services.MAX_OPEN_PROPOSALS


@pytest.fixture
def team(project: Any, researcher: Any) -> dict[str, Any]:
    """The approved project with sanne as lead, bob as researcher, charlie outside."""
    ProjectMember.objects.filter(project=project, user=researcher).update(role="lead")
    bob = _user("bob@uni.example")
    ProjectMember.objects.create(project=project, user=bob)
    return {"project": project, "lead": researcher, "bob": bob, "charlie": _user("c@x.example")}


def test_non_members_get_404_and_members_who_are_no_lead_403(
    client: Any, team: dict[str, Any]
) -> None:
    url = "/onderzoek/paden/leden/"
    bob_row = ProjectMember.objects.get(user=team["bob"])
    lead_row = ProjectMember.objects.get(user=team["lead"])
    client.force_login(team["charlie"])
    assert client.get("/onderzoek/paden/").status_code == 404
    assert client.post(url, {"action": "add", "email": "c@x.example"}).status_code == 404
    assert client.post(url, {"action": "remove", "member": bob_row.pk}).status_code == 404
    client.force_login(team["bob"])
    page = client.get("/onderzoek/paden/").content.decode()
    assert "Een onderzoeker toevoegen" not in page  # no form for a non-lead
    assert "weghalen" not in page
    add = client.post(url, {"action": "add", "email": "c@x.example", "role": "lead"})
    assert add.status_code == 403
    assert "Alleen een projectleider" in add.content.decode()
    assert client.post(url, {"action": "remove", "member": lead_row.pk}).status_code == 403
    assert client.post(url, {"action": "remove", "member": bob_row.pk}).status_code == 403
    assert _members(team["project"]) == {
        "sanne@uni.example": "lead",
        "bob@uni.example": "researcher",
    }
    assert not AccessLog.objects.filter(action__startswith="research.member").exists()


def test_adding_someone_without_an_account_says_how(client: Any, team: dict[str, Any]) -> None:
    client.force_login(team["lead"])
    page = client.post("/onderzoek/paden/leden/", {"action": "add", "email": "nieuw@uni.example"})
    html = page.content.decode()
    assert page.status_code == 400
    assert "Er is geen Koers-account met het e-mailadres nieuw@uni.example" in html
    assert "Koers-beheerder" in html
    assert 'href="#id_email"' in html  # the error summary links to the field
    assert not AccessLog.objects.filter(action__startswith="research.member").exists()
    again = client.post("/onderzoek/paden/leden/", {"action": "add", "email": "bob@uni.example"})
    assert "bob@uni.example is al lid van dit project." in again.content.decode()
    assert len(_members(team["project"])) == 2


def test_the_lead_removes_members_but_not_the_last_lead(client: Any, team: dict[str, Any]) -> None:
    project, lead, bob = team["project"], team["lead"], team["bob"]
    client.force_login(lead)
    own = ProjectMember.objects.get(user=lead)
    page = client.post("/onderzoek/paden/leden/", {"action": "remove", "member": own.pk})
    assert page.status_code == 302
    assert _members(project)["sanne@uni.example"] == "lead"
    shown = client.get("/onderzoek/paden/").content.decode()
    assert "Je bent de enige projectleider" in shown
    assert "enige projectleider" in shown  # no remove button beside the only lead

    client.post(
        "/onderzoek/paden/leden/",
        {"action": "remove", "member": ProjectMember.objects.get(user=bob).pk},
    )
    assert _members(project) == {"sanne@uni.example": "lead"}
    assert client.get("/onderzoek/paden/").status_code == 200
    client.force_login(bob)
    assert client.get("/onderzoek/paden/").status_code == 404  # removed: gone from view

    # With a second lead, the first may leave; the project's lead follows.
    client.force_login(lead)
    client.post("/onderzoek/paden/leden/", {"action": "add", "email": bob.email, "role": "lead"})
    leave = client.post("/onderzoek/paden/leden/", {"action": "remove", "member": own.pk})
    assert leave["Location"] == "/onderzoek/"
    project.refresh_from_db()
    assert project.lead == bob
    assert _members(project) == {"bob@uni.example": "lead"}
    actions = list(
        AccessLog.objects.filter(project=project, action__startswith="research.member")
        .order_by("pk")
        .values_list("action", "user__email", "target")
    )
    assert actions == [
        ("research.member.remove", "sanne@uni.example", "bob@uni.example"),
        ("research.member.add", "sanne@uni.example", "bob@uni.example"),
        ("research.member.remove", "sanne@uni.example", "sanne@uni.example"),
    ]
    client.force_login(bob)
    html = client.get("/onderzoek/paden/").content.decode()
    assert "sanne@uni.example haalde sanne@uni.example weg" in html
    assert "sanne@uni.example haalde bob@uni.example weg" in html


def test_a_member_page_only_accepts_posts(client: Any, team: dict[str, Any]) -> None:
    client.force_login(team["lead"])
    assert client.get("/onderzoek/paden/leden/").status_code == 405


# --- An analysis that raises: the real run_analysis, through the page -----------------------


@pytest.fixture
def pooled(project: Any, org_a: Any, org_b: Any) -> Any:
    make_responses(org_a, 30)
    make_responses(org_b, 20)
    take_part(project, org_a)
    take_part(project, org_b)
    return project


KEY = "function-by-sector"


def _replace_run(monkeypatch: Any, run: Any) -> None:
    from koers.stats.research import ANALYSES

    monkeypatch.setitem(ANALYSES, KEY, replace(ANALYSES[KEY], run=run))


def test_an_unexpected_exception_is_an_error_logged_with_status_500(
    client: Any, pooled: Any, researcher: Any, monkeypatch: Any, caplog: Any
) -> None:
    def broken(frame: Any, k: int) -> Any:
        raise ValueError("operands could not be broadcast together")

    _replace_run(monkeypatch, broken)
    client.force_login(researcher)
    with caplog.at_level(logging.ERROR):
        page = client.get(f"/onderzoek/paden/analyse/{KEY}/")
    html = page.content.decode()
    assert page.status_code == 500
    assert "Er ging iets mis in deze analyse" in html
    assert "De fout is vastgelegd" in html
    assert page.context["failed"] is True
    assert page.context.get("result") is None  # not shown as a refusal
    errors = [r for r in caplog.records if r.name == "koers.research.views"]
    assert len(errors) == 1
    assert errors[0].levelno == logging.ERROR
    assert errors[0].exc_info is not None
    assert "operands could not be broadcast" in str(errors[0].exc_info[1])


def test_a_deliberate_refusal_stays_a_refusal_with_its_reason(
    client: Any, pooled: Any, researcher: Any, monkeypatch: Any, caplog: Any
) -> None:
    from koers.stats.research.core import Refusal

    def too_small(frame: Any, k: int) -> Any:
        raise Refusal(
            "Te weinig gegevens: vrouwen zijn er 3, deze analyse heeft er minstens 5 nodig.",
            "Too few data: there are 3 women; this analysis needs at least 5.",
        )

    _replace_run(monkeypatch, too_small)
    client.force_login(researcher)
    with caplog.at_level(logging.WARNING):
        page = client.get(f"/onderzoek/paden/analyse/{KEY}/")
    assert page.status_code == 200
    assert "vrouwen zijn er 3" in page.content.decode()
    assert "Er ging iets mis" not in page.content.decode()
    assert page.context["result"]["refused"].startswith("Te weinig gegevens")
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    client.cookies["django_language"] = "en"
    english = client.get(f"/onderzoek/paden/analyse/{KEY}/")
    assert "there are 3 women" in english.content.decode()


def test_a_singular_design_is_a_refusal(
    client: Any, pooled: Any, researcher: Any, monkeypatch: Any
) -> None:
    def singular(frame: Any, k: int) -> Any:
        raise np.linalg.LinAlgError("the design matrix is rank deficient")

    _replace_run(monkeypatch, singular)
    client.force_login(researcher)
    page = client.get(f"/onderzoek/paden/analyse/{KEY}/")
    assert page.status_code == 200
    assert "het model is niet te schatten" in page.content.decode()
