"""The team scan's privacy review (issue 11): each attack performed as described, through the
pages a manager opens, and the releases that stop them (docs/privacy.md)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import override_settings
from django.urls import reverse

from koers.compass.models import ResponseScores
from koers.organisations.models import AuditEvent, Role
from koers.surveys import services
from koers.surveys.models import Campaign
from tests.compass.conftest import add_generated
from tests.pdftext import fetch_pdf
from tests.surveys.conftest import open_link

pytestmark = pytest.mark.django_db


@pytest.fixture
def invited(campaign: Campaign) -> Campaign:
    campaign.mode = Campaign.Mode.INVITATIONS
    campaign.save()
    return campaign


def view(client: Any, campaign: Campaign, *filters: tuple[str, str]) -> dict[str, Any]:
    """The team scan as the manager sees it: the figures of the whole and of the selection."""
    query = {}
    for i, (name, value) in enumerate(filters, start=1):
        query[f"f{i}"], query[f"v{i}"] = name, value
    url = reverse("compass_scan", kwargs={"org": "alpha", "pk": campaign.pk})
    page = client.get(url, query)
    assert page.status_code == 200
    return {"whole": page.context["whole"], "group": page.context["group"]}


def identification(campaign: Campaign, responses: list[Any]) -> list[float]:
    return [ResponseScores.objects.get(response=r).values["identification"] for r in responses]


@override_settings(KOERS_MIN_GROUP_SIZE=5)
def test_a_department_minus_its_women_minus_its_men_does_not_isolate_one_person(
    client: Any, invited: Campaign, member_of: Any
) -> None:
    """Attack (a): R&D = 6 women + 6 men + 1 non-binary person."""
    add_generated(invited, 6, seed=1, department="R&D", gender="woman")
    add_generated(invited, 6, seed=2, department="R&D", gender="man")
    alone = add_generated(invited, 1, seed=3, department="R&D", gender="non_binary")
    add_generated(invited, 12, seed=4, department="Staf", gender="woman")
    add_generated(invited, 12, seed=5, department="Staf", gender="man")
    client.force_login(member_of(Role.MANAGER))

    rd = view(client, invited, ("department", "R&D"))["group"]
    women = view(client, invited, ("department", "R&D"), ("gender", "woman"))["group"]
    men = view(client, invited, ("department", "R&D"), ("gender", "man"))["group"]
    shown = [g for g in (rd, women, men) if g is not None]
    if len(shown) == 3:
        assert rd["n"] - women["n"] - men["n"] != 1
        mean = "identification"
        derived = (
            rd["scales"][mean] * rd["n"]
            - women["scales"][mean] * women["n"]
            - men["scales"][mean] * men["n"]
        )
        assert derived != pytest.approx(identification(invited, alone)[0])
    assert len(shown) < 3


@override_settings(KOERS_MIN_GROUP_SIZE=5)
def test_a_leave_share_over_a_hidden_subgroup_does_not_reveal_the_one_man_in_tech(
    client: Any, invited: Campaign, member_of: Any
) -> None:
    """Attack (b): in the technical sector are 5 women who stay and 1 man who wants to leave."""
    add_generated(
        invited,
        5,
        seed=1,
        gender="woman",
        organisation_type="technical_industry",
        future_sector="technical",
    )
    add_generated(invited, 6, seed=2, gender="woman", organisation_type="non_technical")
    add_generated(
        invited,
        1,
        seed=3,
        gender="man",
        organisation_type="technical_industry",
        future_sector="non_technical",
    )
    add_generated(invited, 10, seed=4, gender="man", organisation_type="higher_education")
    client.force_login(member_of(Role.MANAGER))

    whole = view(client, invited)["whole"]
    in_tech = view(client, invited, ("sector", "technical"))["group"]
    women = view(client, invited, ("gender", "woman"))["group"]
    women_outside = view(client, invited, ("gender", "woman"), ("sector", "non_technical"))
    figures = [
        whole and whole["leave_share"],
        in_tech and in_tech["n"],
        women and women["leave_share"],
        women and women["n"],
        women_outside["group"] and women_outside["group"]["n"],
    ]
    if all(f is not None for f in figures):
        # The man's wish = all leavers in tech − the women leavers in tech.
        n_women_tech = women["n"] - women_outside["group"]["n"]
        man = whole["leave_share"] * in_tech["n"] - women["leave_share"] * n_women_tech
        assert man != pytest.approx(1.0)
    assert any(f is None for f in figures)


@override_settings(KOERS_MIN_GROUP_SIZE=5)
def test_one_new_response_does_not_change_any_figure(
    client: Any, invited: Campaign, member_of: Any
) -> None:
    """Attack (c): look, let one colleague finish, look again."""
    add_generated(invited, 30, seed=6)
    client.force_login(member_of(Role.MANAGER))
    before = view(client, invited)
    add_generated(invited, 1, seed=7, department="R&D")
    after = view(client, invited)
    assert after == before
    assert before["whole"]["n"] == 30
    add_generated(invited, 4, seed=8)
    assert view(client, invited)["whole"]["n"] == 35  # k new: the next release
    from koers.compass.models import Release

    assert Release.objects.filter(campaign=invited).count() == 2


@override_settings(KOERS_MIN_GROUP_SIZE=5)
def test_a_department_figure_does_not_move_by_one_person_between_releases(
    client: Any, invited: Campaign, member_of: Any
) -> None:
    """Attack (c) per group: of the 5 new responses only one is in R&D."""
    add_generated(invited, 40, seed=1, department="R&D")
    add_generated(invited, 60, seed=2, department="Staf")
    client.force_login(member_of(Role.MANAGER))
    before = view(client, invited, ("department", "R&D"))["group"]
    assert before is not None
    assert before["n"] == 40
    add_generated(invited, 1, seed=3, department="R&D")
    add_generated(invited, 4, seed=4, department="Staf")
    assert view(client, invited)["whole"]["n"] == 105
    after = view(client, invited, ("department", "R&D"))["group"]
    assert after is None or after["n"] - before["n"] not in range(1, 5)


def fake_response(campaign: Campaign, answers: dict[str, Any]) -> None:
    """What anyone with the open link can do: fill in and finish a response."""
    instrument = campaign.instrument()
    started = services.start_open_response(campaign, "nl")
    for item_id, value in answers.items():
        services.save_answer(started.response, instrument, item_id, value, 0)
    services.finish_response(started.response, started.secret)


@override_settings(KOERS_MIN_GROUP_SIZE=5)
def test_padding_an_open_link_does_not_lift_one_person_over_the_threshold(
    client: Any, campaign: Campaign, member_of: Any
) -> None:
    """Attack (d): one real person in Lab; four made-up Lab responses through the open link."""
    from koers.compass.generate import generate_respondents

    assert campaign.mode == Campaign.Mode.OPEN_LINK
    add_generated(invited_free := campaign, 20, seed=1, department="Staf")
    add_generated(campaign, 1, seed=2, department="R&D")
    people = generate_respondents(campaign.instrument(), 4, seed=3)
    for person in people:
        fake_response(invited_free, {**person.answers, "department": "R&D"})
    client.force_login(member_of(Role.MANAGER))
    group = view(client, campaign, ("department", "R&D"))["group"]
    assert group is None
    page = client.get(
        reverse("compass_scan", kwargs={"org": "alpha", "pk": campaign.pk}),
        {"f1": "department", "v1": "R&D"},
    )
    assert page.context["scan"]["decision"]["reason"] == "open_link"


@override_settings(KOERS_MIN_GROUP_SIZE=5)
def test_an_open_link_releases_its_figures_only_when_it_closes(
    client: Any, campaign: Campaign, member_of: Any
) -> None:
    """Padding the release steps (k − 1 made-up responses + 1 real) needs a release to time."""
    add_generated(campaign, 20, seed=1)
    client.force_login(member_of(Role.MANAGER))
    assert view(client, campaign)["whole"] is None
    campaign.closed = True
    campaign.save()
    assert view(client, campaign)["whole"]["n"] == 20


@override_settings(KOERS_MIN_GROUP_SIZE=5)
def test_every_view_and_export_logs_its_filters_and_the_audit_page_shows_them(
    client: Any,
    invited: Campaign,
    member_of: Any,
    alice: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    add_generated(invited, 20, seed=1)
    client.force_login(member_of(Role.MANAGER))
    view(client, invited, ("department", "R&D"), ("gender", "woman"))
    fetch_pdf(
        client,
        reverse("compass_scan_pdf", kwargs={"org": "alpha", "pk": invited.pk})
        + "?f1=gender&v1=man",
        django_capture_on_commit_callbacks,
    )
    seen = AuditEvent.objects.get(action="teamscan.view")
    assert seen.detail["filters"] == [["department", "R&D"], ["gender", "woman"]]
    export = AuditEvent.objects.get(action="teamscan.pdf")
    assert export.detail["filters"] == [["gender", "man"]]
    client.force_login(alice)
    page = client.get(reverse("audit_log", kwargs={"org": "alpha"})).content.decode()
    assert "department = R&amp;D, gender = woman" in page
    assert "gender = man" in page


@override_settings(KOERS_MIN_GROUP_SIZE=5)
def test_a_deleted_response_leaves_the_figures_at_once_without_a_new_release(
    client: Any, invited: Campaign, member_of: Any
) -> None:
    from tests.compass.conftest import finished_respondent

    add_generated(invited, 12, seed=8)
    started = finished_respondent(invited)
    client.force_login(member_of(Role.MANAGER))
    assert view(client, invited)["whole"]["n"] == 13
    slot = open_link(client, started.secret)  # the respondent's own visit sets the cookie
    client.post(reverse("respond_delete", kwargs={"slot": slot}), {"confirm": "yes"})
    assert view(client, invited)["whole"]["n"] == 12
    from koers.compass.models import Release

    assert Release.objects.filter(campaign=invited).count() == 1


@override_settings(KOERS_MIN_GROUP_SIZE=5)
def test_the_page_says_as_of_when_and_when_the_next_update_comes(
    client: Any, invited: Campaign, member_of: Any
) -> None:
    add_generated(invited, 20, seed=1)
    client.force_login(member_of(Role.MANAGER))
    view(client, invited)
    add_generated(invited, 2, seed=2)
    page = client.get(reverse("compass_scan", kwargs={"org": "alpha", "pk": invited.pk}))
    text = page.content.decode()
    assert "20 antwoorden" in text
    assert "na nog 3 nieuwe antwoorden" in text


@override_settings(KOERS_MIN_GROUP_SIZE=5)
def test_a_question_left_open_is_no_filter_value(invited: Campaign) -> None:
    from koers.compass import releases
    from koers.surveys.models import Answer

    add_generated(invited, 12, seed=1)
    Answer.objects.filter(response__campaign=invited, item_id="department").first().delete()
    frame = releases.load(invited).frame
    assert frame["department"].isna().sum() == 1
    assert "nan" not in set(frame["department"].dropna())
