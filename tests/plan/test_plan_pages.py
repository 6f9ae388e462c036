"""The action plan in the web: recommendations, actions with history, the works council."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import URLPattern, get_resolver, reverse
from django.utils import timezone

from koers.lib import hooks
from koers.organisations.access import PERMISSION_ATTRIBUTE
from koers.organisations.models import Role
from koers.organisations.permissions import roles_with
from koers.plan.catalogue import finding_label
from koers.plan.demo import load_demo_plan
from koers.plan.findings import Findings, findings_of
from koers.plan.models import Action, ActionChange, ActionComment, WorksCouncilAdvice
from koers.plan.services import plan_lines, save_action
from koers.scan.demo import load_demo_scan

pytestmark = pytest.mark.django_db


def url(name: str, org: Any, **kwargs: Any) -> str:
    return reverse(name, kwargs={"org": org.slug, **kwargs})


@pytest.fixture
def hr(member_of: Any, client: Any) -> Any:
    user = member_of(Role.HR_ANALYST)
    client.force_login(user)
    return user


@pytest.fixture
def council(member_of: Any) -> Any:
    return member_of(Role.WORKS_COUNCIL)


def _action(org: Any, **values: Any) -> Action:
    return save_action(org, Action(organisation=org), {"measure": "mentoring", **values}, None)


def test_hr_adds_a_catalogue_measure_and_the_history_says_who_did_it(client, org_a, hr):
    response = client.post(
        url("plan_new", org_a),
        {
            "measure": "inclusive_appraisal",
            "owner": "Hoofd HR",
            "start": "2026-01-01",
            "due": "2026-06-30",
            "status": "planned",
            "budget": "2500",
            "indicator": "promotiekans vrouwen",
        },
    )
    action = Action.objects.for_org(org_a).get()
    assert response.status_code == 302
    assert response["Location"] == url("plan_action", org_a, pk=action.pk)
    assert action.display_title("nl") == "Beoordelen op vaste, meetbare criteria"
    change = ActionChange.objects.get(action=action)
    assert change.user == hr
    assert ["owner", "", "Hoofd HR"] in change.changes
    page = client.get(response["Location"]).content.decode()
    assert "Beoordelen op vaste, meetbare criteria" in page
    assert "hr_analyst@alpha.example" in page  # the history names who changed it


def test_an_action_needs_a_measure_or_an_own_title(client, org_a, hr):
    response = client.post(url("plan_new", org_a), {"status": "planned"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Kies een maatregel of geef de actie een eigen titel." in html
    assert 'aria-invalid="true"' in html  # DescribedFields links the error to the field
    assert not Action.objects.exists()


def test_a_due_date_before_the_start_is_refused(client, org_a, hr):
    response = client.post(
        url("plan_new", org_a),
        {"title": "Eigen actie", "start": "2026-05-01", "due": "2026-04-01", "status": "planned"},
    )
    assert "De einddatum ligt voor de startdatum." in response.content.decode()
    assert not Action.objects.exists()


def test_the_recommendation_link_fills_in_the_measure(client, org_a, hr):
    page = client.get(url("plan_new", org_a) + "?maatregel=lactation_room").content.decode()
    assert '<option value="lactation_room" selected>' in page


def test_editing_records_the_old_and_new_status(client, org_a, hr):
    action = _action(org_a, owner="HR", status="planned")
    client.post(
        url("plan_action_edit", org_a, pk=action.pk),
        {"measure": "mentoring", "owner": "HR", "status": "in_progress"},
    )
    last = ActionChange.objects.filter(action=action).last()
    assert last is not None
    assert last.changes == [["status", "Gepland", "In uitvoering"]]
    assert last.user == hr


def test_a_late_action_stands_out_and_a_finished_one_does_not(client, org_a, hr):
    past = timezone.localdate() - dt.timedelta(days=3)
    late = _action(org_a, due=past, status="in_progress", owner="Late")
    _action(org_a, measure="role_models", due=past, status="done")
    _action(org_a, measure="womens_network", due=past, status="stopped")
    html = client.get(url("plan_list", org_a)).content.decode()
    assert html.count('class="plan-late"') == 1
    assert "1 actie is te laat" in html
    assert late.is_late(timezone.localdate())
    detail = client.get(url("plan_action", org_a, pk=late.pk)).content.decode()
    assert "Te laat: de einddatum is voorbij" in detail


def test_an_action_due_today_is_not_late() -> None:
    today = dt.date(2026, 3, 1)
    assert not Action(due=today, status="planned").is_late(today)
    assert Action(due=today, status="planned").is_late(today + dt.timedelta(days=1))
    assert not Action(due=None, status="planned").is_late(today)


def test_hr_comments_on_an_action(client, org_a, hr):
    action = _action(org_a)
    client.post(url("plan_action_comment", org_a, pk=action.pk), {"text": "Eerste gesprek gehad."})
    comment = ActionComment.objects.get()
    assert comment.author == hr
    assert (
        "Eerste gesprek gehad."
        in client.get(url("plan_action", org_a, pk=action.pk)).content.decode()
    )


def _plan_pages() -> dict[str, str]:
    pattern = next(
        p for p in get_resolver().url_patterns if str(getattr(p, "pattern", "")) == "o/<slug:org>/"
    )
    return {
        p.name: getattr(p.callback, PERMISSION_ATTRIBUTE)
        for p in pattern.url_patterns
        if isinstance(p, URLPattern) and p.name and p.name.startswith("plan_")
    }


def test_the_works_council_can_change_nothing_in_the_plan(client, org_a, council):
    """Every plan page the works council may open only reads (plan.view) or records its
    advice (plan.advise); every other one, GET or POST, refuses it and changes nothing."""
    action = _action(org_a, owner="HR", status="planned")
    n_changes = ActionChange.objects.count()
    client.force_login(council)
    pages = _plan_pages()
    changing = {name for name, perm in pages.items() if perm not in ("plan.view", "plan.advise")}
    assert changing == {"plan_new", "plan_action_edit", "plan_action_comment"}
    assert Role.WORKS_COUNCIL not in roles_with("plan.manage")
    post = {"measure": "mentoring", "title": "x", "status": "done", "text": "x", "owner": "OR"}
    for name in changing:
        kwargs = {"pk": action.pk} if name != "plan_new" else {}
        assert client.get(url(name, org_a, **kwargs)).status_code in (403, 405), name
        assert client.post(url(name, org_a, **kwargs), post).status_code == 403, name
    # The pages it reads do not change anything when posted to either.
    for name, perm in pages.items():
        if perm == "plan.view":
            kwargs = {"pk": action.pk} if name == "plan_action" else {}
            client.post(url(name, org_a, **kwargs), post)
    action.refresh_from_db()
    assert (action.status, action.owner) == ("planned", "HR")
    assert Action.objects.count() == 1
    assert ActionChange.objects.count() == n_changes
    assert not ActionComment.objects.exists()


def test_the_works_council_reads_the_plan_and_records_its_advice(client, org_a, council):
    action = _action(org_a)
    client.force_login(council)
    listing = client.get(url("plan_list", org_a)).content.decode()
    assert client.get(url("plan_action", org_a, pk=action.pk)).status_code == 200
    assert "Actie toevoegen" not in listing  # no link to what it may not do
    assert "Advies van de OR vastleggen" in listing
    response = client.post(
        url("plan_advice", org_a),
        {"given_on": "2026-11-02", "given_by": "de ondernemingsraad", "text": "Positief advies."},
    )
    assert response.status_code == 302
    advice = WorksCouncilAdvice.objects.get()
    assert (advice.recorded_by, advice.given_on) == (council, dt.date(2026, 11, 2))
    assert "Positief advies." in client.get(url("plan_list", org_a)).content.decode()


def test_hr_cannot_record_the_works_councils_advice(client, org_a, hr):
    assert client.get(url("plan_advice", org_a)).status_code == 403


def test_another_organisation_sees_no_action(client, org_a, charlie):
    action = _action(org_a)
    client.force_login(charlie)
    assert client.get(url("plan_action", org_a, pk=action.pk)).status_code == 404


def test_recommendations_without_a_scan_say_there_is_no_scan(client, org_a, hr):
    html = client.get(url("plan_recommendations", org_a)).content.decode()
    assert "Er is nog geen Gender Scan" in html
    assert "Waarom:" not in html


def test_a_scan_without_findings_makes_nothing_urgent(client, org_a, hr, monkeypatch):
    load_demo_scan(org_a)
    snapshot = findings_of(org_a).snapshot
    monkeypatch.setattr("koers.plan.views.findings_of", lambda org, *, full: Findings({}, snapshot))
    html = client.get(url("plan_recommendations", org_a)).content.decode()
    assert "wijst geen verbeterpunten aan" in html
    assert "Waarom:" not in html
    assert "Een kolfruimte" in html  # the whole catalogue to choose from


def test_recommendations_follow_the_demo_scans_improvement_areas(client, org_a, hr):
    load_demo_scan(org_a)
    found = findings_of(org_a)
    # The demo scan plants lower promotion, higher outflow and a leaky pipeline, among others.
    assert {"outflow_women_higher", "leaky_pipeline", "part_time_outflow"} <= set(found.strengths)
    _action(org_a, measure="inclusive_appraisal")
    html = client.get(url("plan_recommendations", org_a)).content.decode()
    assert "Waarom:" in html
    # Inclusive appraisal answers three of the findings: it comes first, marked as planned.
    first = html.index("Beoordelen op vaste, meetbare criteria")
    assert first < html.index("Deeltijd mogelijk maken, ook in technische functies")
    assert first < html.index("Staat al in het plan.") < html.index("Deeltijd mogelijk maken")
    assert "Het aandeel vrouwen daalt naarmate het functieniveau stijgt" in html  # the why


@pytest.mark.parametrize(("role", "full"), [(Role.HR_ANALYST, True), (Role.WORKS_COUNCIL, False)])
def test_roles_outside_hr_get_recommendations_from_the_figures_they_may_see(
    client, org_a, member_of, monkeypatch, role, full
):
    asked: list[bool] = []

    def fake(org: Any, *, full: bool) -> Findings:
        asked.append(full)
        return Findings()

    monkeypatch.setattr("koers.plan.views.findings_of", fake)
    client.force_login(member_of(role))
    assert client.get(url("plan_recommendations", org_a)).status_code == 200
    assert asked == [full]


def test_the_plan_actions_hook_gives_the_plan_with_late_flags(org_a):
    load_demo_plan(org_a)
    lines = [impl(org_a) for impl in hooks.plan_actions.implementations()]
    assert lines == [plan_lines(org_a)]
    assert len(lines[0]) == 6
    assert sum(line.late for line in lines[0]) == 2
    assert {line.status for line in lines[0]} <= {"planned", "in_progress", "done", "stopped"}
    assert all(line.url.startswith("/o/alpha/plan/") for line in lines[0])


def test_the_demo_plan_loads_once(org_a):
    assert "6 acties, waarvan 2 te laat" in load_demo_plan(org_a)
    assert load_demo_plan(org_a) == ""
    assert Action.objects.for_org(org_a).count() == 6
    assert ActionComment.objects.count() == 1
    assert WorksCouncilAdvice.objects.count() == 1


def test_the_plan_list_and_an_action_take_a_fixed_number_of_queries(
    client, org_a, hr, django_assert_max_num_queries
):
    load_demo_plan(org_a)
    for i in range(20):
        _action(org_a, title=f"Actie {i}", measure="")
    action = Action.objects.for_org(org_a).first()
    assert action is not None
    for i in range(10):
        client.post(url("plan_action_comment", org_a, pk=action.pk), {"text": f"reactie {i}"})
    with django_assert_max_num_queries(6):
        assert client.get(url("plan_list", org_a)).status_code == 200
    with django_assert_max_num_queries(7):
        assert client.get(url("plan_action", org_a, pk=action.pk)).status_code == 200


def test_english_pages_show_the_measures_and_statuses_in_english(client, org_a, hr):
    load_demo_scan(org_a)
    load_demo_plan(org_a)
    client.cookies["django_language"] = "en"
    recs = client.get(url("plan_recommendations", org_a), HTTP_ACCEPT_LANGUAGE="en")
    html = recs.content.decode()
    assert "Appraisal on fixed, measurable criteria" in html
    assert "Why:" in html
    assert finding_label("outflow_women_higher", "en") in html  # the scan's English title
    listing = client.get(url("plan_list", org_a), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "2 actions are late" in listing
    assert "In progress" in listing
    assert "Beoordelen op vaste" not in listing
