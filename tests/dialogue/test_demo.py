"""The demo: a finished session with a summary, loaded once."""

from __future__ import annotations

import pytest
from django.urls import reverse

from koers.dialogue.demo import load_demo_dialogue
from koers.dialogue.models import Answer, CardState, Session


@pytest.mark.django_db
def test_the_demo_has_a_finished_session_with_a_summary_and_loads_once(client, org_a, alice):
    assert load_demo_dialogue(org_a)
    assert load_demo_dialogue(org_a) == ""
    session = Session.objects.get()
    assert not session.is_open
    assert len(session.action_lines()) == 3
    assert session.cards.filter(state=CardState.SKIPPED).count() == 1
    assert Answer.objects.exists()
    client.force_login(alice)
    page = client.get(reverse("dialogue_summary", kwargs={"org": "alpha", "pk": session.pk}))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Roosterafspraken per kwartaal" in html
    assert "Vaste overlegtijden" not in html  # text answers never in the summary


@pytest.mark.django_db
def test_the_summary_page_takes_a_fixed_number_of_queries(
    client, org_a, alice, django_assert_max_num_queries
):
    load_demo_dialogue(org_a)
    session = Session.objects.get()
    assert session.cards.count() >= 10
    client.force_login(alice)
    url = reverse("dialogue_summary", kwargs={"org": "alpha", "pk": session.pk})
    with django_assert_max_num_queries(15):
        assert client.get(url).status_code == 200
