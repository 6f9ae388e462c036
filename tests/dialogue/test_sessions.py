"""Dialogue sessions: joining with a code, anonymous answers, the threshold, releasing text,
and controls only the facilitator can use."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from koers.dialogue import services
from koers.dialogue.models import Answer, CardState, Session, SessionCard
from koers.organisations.models import Role

SCALE = "chances-think-1"
TEXT = "chances-want-1"
CHOICE = "chances-experience-1"


@pytest.fixture
def facilitator(member_of: Any, client: Any) -> Any:
    user = member_of(Role.MANAGER)
    client.force_login(user)
    return user


@pytest.fixture
def opened(org_a: Any, facilitator: Any) -> tuple[Session, str]:
    return services.open_session(
        org_a,
        title="Team R&D",
        team="R&D",
        audience="employees",
        card_keys=[SCALE, TEXT, CHOICE],
        facilitator=facilitator,
    )


def phone(code: str) -> Client:
    """A participant's browser: no account, joins with the code."""
    browser = Client()
    response = browser.post(reverse("dialogue_join"), {"code": code})
    assert response.status_code == 302
    return browser


def control(client: Any, session: Session, **data: Any) -> Any:
    url = reverse("dialogue_session_control", kwargs={"org": "alpha", "pk": session.pk})
    return client.post(url, data)


def answer(browser: Client, card: int, **data: Any) -> Any:
    return browser.post(reverse("dialogue_participate"), {"card": card, **data})


@pytest.mark.django_db
def test_a_facilitator_opens_a_session_for_employees_by_default(client, org_a, facilitator):
    response = client.post(
        reverse("dialogue_session_new", kwargs={"org": "alpha"}),
        {
            "title": "Ronde",
            "team": "Bouw",
            "audience": "employees",
            "format": "round_table",
            "themes": ["parenthood"],
        },
    )
    session = Session.objects.get()
    assert response.status_code == 302
    assert session.audience == "employees"
    assert session.cards.count() == 4  # the parenthood cards
    page = client.get(response["Location"]).content.decode()
    assert services.code_of(session) in page


@pytest.mark.django_db
def test_employees_and_managers_together_must_be_chosen_on_purpose(client, org_a, facilitator):
    url = reverse("dialogue_session_new", kwargs={"org": "alpha"})
    data = {
        "title": "Ronde",
        "team": "Bouw",
        "audience": "mixed",
        "format": "round_table",
        "themes": ["culture"],
    }
    assert client.post(url, data).status_code == 400
    assert not Session.objects.exists()
    assert client.post(url, {**data, "mixed_on_purpose": "on"}).status_code == 302


@pytest.mark.django_db
def test_a_wrong_code_opens_nothing_and_repeated_guessing_is_refused(opened):
    browser = Client()
    for _ in range(30):
        response = browser.post(reverse("dialogue_join"), {"code": "ZZZZZZ"})
        if response.status_code == 429:
            break
        assert response.status_code == 404
    assert response.status_code == 429
    # Refused even with the right code once the address is throttled.
    assert browser.post(reverse("dialogue_join"), {"code": opened[1]}).status_code == 429


@pytest.mark.django_db
def test_the_participant_page_needs_the_join_cookie(opened):
    assert Client().get(reverse("dialogue_participate")).status_code == 404
    assert Client().get(reverse("dialogue_state")).status_code == 404
    browser = phone(opened[1])
    assert browser.get(reverse("dialogue_participate")).status_code == 200
    opened[0].refresh_from_db()
    assert opened[0].n_joined == 1


@pytest.mark.django_db
def test_an_answer_row_holds_no_participant_address_or_time(client, opened):
    session, code = opened
    columns = {
        c.name
        for c in connection.introspection.get_table_description(
            connection.cursor(), Answer._meta.db_table
        )
    }
    assert columns == {"id", "organisation_id", "card_id", "option", "text"}
    browser = phone(code)
    control(client, session, action="next")
    assert answer(browser, 0, option="4").status_code == 302
    stored = Answer.objects.get()
    assert (stored.option, stored.text) == ("4", "")
    # Nothing server-side names the browser: no Django session was created for it.
    from django.contrib.sessions.models import Session as DjangoSession

    keys = {s.get_decoded().get("_auth_user_id") for s in DjangoSession.objects.all()}
    assert None not in keys  # only logged-in users' sessions exist


@pytest.mark.django_db
def test_the_counts_stay_hidden_until_k_people_answered(client, opened, settings):
    session, code = opened
    settings.KOERS_MIN_GROUP_SIZE = 5
    phones = [phone(code) for _ in range(5)]
    control(client, session, action="next")
    for i, browser in enumerate(phones[:4]):
        answer(browser, 0, option=str(1 + i % 5))
    for page in (
        phones[0].get(reverse("dialogue_participate")).content.decode(),
        client.get(
            reverse("dialogue_session", kwargs={"org": "alpha", "pk": session.pk})
        ).content.decode(),
    ):
        assert "data-dialogue-waiting" in page
        assert "Helemaal eens</td>" not in page
    result = services.card_result(session, session.cards.get(index=0))
    assert result.counts is None
    answer(phones[4], 0, option="4")
    result = services.card_result(session, session.cards.get(index=0))
    # Hand count: options 1, 2, 3, 4 from the first four and 4 from the fifth.
    assert result.counts == [
        ("Helemaal oneens", 1),
        ("Oneens", 1),
        ("Neutraal", 1),
        ("Eens", 2),
        ("Helemaal eens", 0),
    ]
    assert (
        "data-dialogue-waiting"
        not in phones[0].get(reverse("dialogue_participate")).content.decode()
    )


@pytest.mark.django_db
def test_a_participant_answers_a_card_once(client, opened):
    session, code = opened
    browser = phone(code)
    control(client, session, action="next")
    assert answer(browser, 0, option="4").status_code == 302
    assert answer(browser, 0, option="5").status_code == 409
    assert Answer.objects.count() == 1


@pytest.mark.django_db
def test_text_answers_appear_only_after_release_in_a_group_of_five(client, opened):
    session, code = opened
    phones = [phone(code) for _ in range(4)]
    control(client, session, action="next")
    control(client, session, action="skip", card=0, reason="Al besproken")
    for i, browser in enumerate(phones):
        assert answer(browser, 1, text=f"idee nummer {i}").status_code == 302
    card = session.cards.get(index=1)
    # Four people: the facilitator cannot release yet.
    control(client, session, action="release", card=1)
    card.refresh_from_db()
    assert not card.texts_released
    page = phones[0].get(reverse("dialogue_participate")).content.decode()
    assert "idee nummer" not in page
    fifth = phone(code)
    answer(fifth, 1, text="nog een idee")
    assert "idee nummer" not in fifth.get(reverse("dialogue_participate")).content.decode()
    control(client, session, action="release", card=1)
    page = fifth.get(reverse("dialogue_participate")).content.decode()
    assert "idee nummer 3" in page
    assert "nog een idee" in page
    # Shown in alphabetical order, not in the order given.
    assert page.index("idee nummer 0") < page.index("nog een idee")


@pytest.mark.django_db
def test_a_participant_cannot_use_the_facilitator_controls(client, opened):
    session, code = opened
    browser = phone(code)
    for action in ("next", "skip", "hide", "release", "close"):
        response = control(browser, session, action=action, card=0, reason="x")
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    # The participant page accepts only an answer: a control field changes nothing.
    browser.post(reverse("dialogue_participate"), {"action": "next", "card": 0})
    browser.post(reverse("dialogue_participate"), {"action": "close"})
    session.refresh_from_db()
    assert session.position == -1
    assert session.is_open
    assert not SessionCard.objects.exclude(state=CardState.WAITING).exists()


@pytest.mark.django_db
def test_skipping_or_hiding_needs_a_reason_and_hiding_deletes_the_answers(client, opened):
    session, code = opened
    browser = phone(code)
    control(client, session, action="next")
    answer(browser, 0, option="2")
    control(client, session, action="hide", card=0, reason="")
    assert session.cards.get(index=0).state == CardState.SHOWN
    control(client, session, action="hide", card=0, reason="Te persoonlijk voor deze groep")
    card = session.cards.get(index=0)
    assert card.state == CardState.HIDDEN
    assert card.reason == "Te persoonlijk voor deze groep"
    assert not Answer.objects.exists()
    session.refresh_from_db()
    assert session.position == 1  # the next card is on the table


@pytest.mark.django_db
def test_a_closed_session_takes_no_one_and_its_summary_has_no_text_answers(client, opened):
    session, code = opened
    phones = [phone(code) for _ in range(5)]
    control(client, session, action="next")
    for browser in phones:
        answer(browser, 0, option="5")
    control(client, session, action="next")
    for browser in phones:
        answer(browser, 1, text="geheime notitie")
    control(client, session, action="release", card=1)
    response = control(client, session, action="close")
    assert response.status_code == 302
    summary_url = reverse("dialogue_summary", kwargs={"org": "alpha", "pk": session.pk})
    client.post(summary_url, {"themes": "Kansen", "actions": "Rooster per kwartaal — Ans\n"})
    page = client.get(summary_url).content.decode()
    assert "Rooster per kwartaal" in page
    assert "geheime notitie" not in page
    assert "<td>5</td>" in page
    pdf = client.get(reverse("dialogue_summary_pdf", kwargs={"org": "alpha", "pk": session.pk}))
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Cache-Control"] == "no-store"
    assert Client().post(reverse("dialogue_join"), {"code": code}).status_code == 404
    assert phones[0].get(reverse("dialogue_participate")).status_code == 200  # the thank-you


@pytest.mark.django_db
def test_another_organisation_cannot_open_or_steer_a_session(client, opened, charlie):
    session, _code = opened
    client.force_login(charlie)
    for name in ("dialogue_session", "dialogue_summary", "dialogue_summary_pdf"):
        assert (
            client.get(reverse(name, kwargs={"org": "alpha", "pk": session.pk})).status_code == 404
        )
    # Charlie's own organisation does not hold the session either.
    assert (
        client.get(
            reverse("dialogue_session", kwargs={"org": "beta", "pk": session.pk})
        ).status_code
        == 404
    )
    assert control(client, session, action="next").status_code == 404
    session.refresh_from_db()
    assert session.position == -1


@pytest.mark.django_db
def test_retention_deletes_sessions_closed_before_the_cutoff_with_their_answers(client, opened):
    import datetime as dt

    from django.utils import timezone

    session, code = opened
    browser = phone(code)
    control(client, session, action="next")
    answer(browser, 0, option="3")
    services.close_session(session)
    still_open, _code = services.open_session(
        session.organisation, title="Open", team="T", audience="managers", card_keys=[SCALE]
    )
    Session.objects.filter(pk=session.pk).update(closed=timezone.now() - dt.timedelta(days=400))
    cutoff = timezone.localdate() - dt.timedelta(days=365)
    assert services.delete_closed_sessions(cutoff) > 0
    assert list(Session.objects.all()) == [still_open]
    assert not Answer.objects.exists()


@pytest.mark.django_db
def test_the_organisation_export_counts_dialogue_answers_without_their_text(client, opened):
    import io
    import json
    import zipfile

    from koers.organisations.gdpr import export_organisation

    session, code = opened
    browser = phone(code)
    control(client, session, action="next")
    control(client, session, action="next")
    answer(browser, 1, text="een persoonlijke zin")
    archive = zipfile.ZipFile(io.BytesIO(export_organisation(session.organisation)))
    assert json.loads(archive.read("dialogue.answer.json")) == {"count": 1}
    assert not any(b"persoonlijke zin" in archive.read(name) for name in archive.namelist())


@pytest.mark.django_db
def test_one_two_four_all_walks_each_card_through_four_timed_steps(client, org_a, facilitator):
    import datetime as dt

    from django.utils import timezone

    session, code = services.open_session(
        org_a,
        title="1-2-4",
        team="T",
        audience="employees",
        card_keys=[SCALE, TEXT],
        session_format="one_two_four",
    )
    browser = phone(code)
    control(client, session, action="next")
    session.refresh_from_db()
    assert session.step == "alone"
    # Liberating Structures timing: 1, 2, 4 and 5 minutes.
    seen = []
    for expected, minutes in (("pairs", 2), ("fours", 4), ("all", 5)):
        before = timezone.now()
        control(client, session, action="step")
        session.refresh_from_db()
        seen.append(session.step)
        assert session.step == expected
        left = session.step_ends - before
        assert dt.timedelta(minutes=minutes) <= left < dt.timedelta(minutes=minutes, seconds=5)
    assert (
        "Allen: wat neemt de groep mee?"
        in browser.get(reverse("dialogue_participate")).content.decode()
    )
    control(client, session, action="step")
    session.refresh_from_db()
    assert session.step == ""
    control(client, session, action="next")
    session.refresh_from_db()
    assert (session.position, session.step) == (1, "alone")
    # A participant cannot move the steps on.
    assert control(browser, session, action="step")["Location"].startswith(reverse("login"))
    session.refresh_from_db()
    assert session.step == "alone"


@pytest.mark.django_db
def test_a_round_table_has_no_steps(client, opened):
    session, _code = opened
    control(client, session, action="next")
    control(client, session, action="step")
    session.refresh_from_db()
    assert session.step == ""
