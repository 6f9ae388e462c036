"""The autosave rule: a save names the version it was based on; stale saves are refused."""

from __future__ import annotations

import json
from typing import Any

from django.urls import reverse

from koers.surveys import services
from koers.surveys.models import Answer
from tests.surveys.conftest import first_scale_item, open_link


def test_a_first_save_creates_version_one(campaign: Any, compass: Any) -> None:
    started = services.start_open_response(campaign, "nl")
    item = first_scale_item(compass)
    result = services.save_answer(started.response, compass, item.id, "5", 0)
    assert (result.status, result.value, result.version) == ("saved", 5, 1)


def test_a_save_on_an_older_version_is_refused_and_returns_the_current_answer(
    campaign: Any, compass: Any
) -> None:
    started = services.start_open_response(campaign, "nl")
    item = first_scale_item(compass)
    services.save_answer(started.response, compass, item.id, 3, 0)  # phone, v1
    laptop = services.save_answer(started.response, compass, item.id, 6, 1)  # laptop, v2
    assert laptop.status == "saved"
    queued_phone_save = services.save_answer(started.response, compass, item.id, 2, 1)
    assert queued_phone_save.status == "conflict"
    assert (queued_phone_save.value, queued_phone_save.version) == (6, 2)
    assert Answer.objects.get(item_id=item.id).value == 6


def test_a_double_submit_of_the_same_answer_is_not_a_conflict(campaign: Any, compass: Any) -> None:
    started = services.start_open_response(campaign, "nl")
    item = first_scale_item(compass)
    services.save_answer(started.response, compass, item.id, 4, 0)
    again = services.save_answer(started.response, compass, item.id, 4, 0)
    assert again.status == "unchanged"
    assert Answer.objects.filter(item_id=item.id).count() == 1


def test_two_first_saves_of_different_values_do_not_duplicate(campaign: Any, compass: Any) -> None:
    started = services.start_open_response(campaign, "nl")
    item = first_scale_item(compass)
    services.save_answer(started.response, compass, item.id, 4, 0)
    other_tab = services.save_answer(started.response, compass, item.id, 7, 0)
    assert other_tab.status == "conflict"
    assert Answer.objects.filter(item_id=item.id).count() == 1


def test_an_answer_outside_the_scale_is_refused(campaign: Any, compass: Any) -> None:
    started = services.start_open_response(campaign, "nl")
    item = first_scale_item(compass)
    result = services.save_answer(started.response, compass, item.id, 9, 0)
    assert result.status == "invalid"
    assert not Answer.objects.exists()


def test_clearing_an_answer_keeps_a_version(campaign: Any, compass: Any) -> None:
    started = services.start_open_response(campaign, "nl")
    item = first_scale_item(compass)
    services.save_answer(started.response, compass, item.id, 4, 0)
    cleared = services.save_answer(started.response, compass, item.id, "", 1)
    assert (cleared.status, cleared.value, cleared.version) == ("saved", None, 2)
    assert item.id not in started.response.answers()


def test_the_autosave_endpoint_speaks_json(client: Any, campaign: Any, compass: Any) -> None:
    started = services.start_open_response(campaign, "nl")
    item = first_scale_item(compass)
    url = reverse("respond_save", kwargs={"slot": open_link(client, started.secret)})
    ok = client.post(
        url, json.dumps({"item": item.id, "value": 5, "version": 0}), "application/json"
    )
    assert ok.status_code == 200
    assert ok.json()["version"] == 1
    stale = client.post(
        url, json.dumps({"item": item.id, "value": 2, "version": 0}), "application/json"
    )
    assert stale.status_code == 409
    assert stale.json()["value"] == 5
    bad = client.post(url, "not json", "application/json")
    assert bad.status_code == 400


def test_the_plain_form_refuses_a_stale_answer_and_shows_the_newest(
    client: Any, campaign: Any, compass: Any
) -> None:
    started = services.start_open_response(campaign, "nl")
    item = first_scale_item(compass)
    services.save_answer(started.response, compass, item.id, 6, 0)  # saved elsewhere: v1
    url = reverse(
        "respond_section",
        kwargs={"slot": open_link(client, started.secret), "section": item.section},
    )
    page = client.post(url, {item.id: "2", f"v_{item.id}": "0", "nav": "next"})
    assert page.status_code == 409
    html = page.content.decode()
    assert f'name="{item.id}" value="6" checked' in html
    assert Answer.objects.get(item_id=item.id).value == 6


def test_a_finished_response_takes_no_more_answers(campaign: Any, compass: Any) -> None:
    started = services.start_open_response(campaign, "nl")
    services.finish_response(started.response, started.secret)
    item = first_scale_item(compass)
    assert services.save_answer(started.response, compass, item.id, 4, 0).status == "invalid"


def test_an_impossible_version_is_a_bad_request(client: Any, campaign: Any, compass: Any) -> None:
    started = services.start_open_response(campaign, "nl")
    url = reverse("respond_save", kwargs={"slot": open_link(client, started.secret)})
    item = first_scale_item(compass)
    for version in ("1e20", "-1", str(2**31), "1e400"):
        body = f'{{"item": "{item.id}", "value": 3, "version": {version}}}'
        assert client.post(url, body, "application/json").status_code == 400, version
    assert not Answer.objects.exists()


def test_a_forged_huge_version_in_the_plain_form_is_a_bad_request_not_a_crash(
    client: Any, campaign: Any, compass: Any
) -> None:
    """The page without JavaScript posts every answer with its version in a hidden field."""
    started = services.start_open_response(campaign, "nl")
    item = first_scale_item(compass)
    page = client.get(f"/r/{started.secret}/deel/{item.section}/", follow=True)
    url = page.request["PATH_INFO"]
    for version in (str(10**30), str(2**63), str(2**31), "-1"):
        reply = client.post(url, {item.id: "5", f"v_{item.id}": version, "nav": "next"})
        assert reply.status_code == 400, version
        assert "Dit formulier is beschadigd" in reply.content.decode()
    assert not Answer.objects.filter(response=started.response).exists()
    # The same form with the version it was given still saves.
    assert client.post(url, {item.id: "5", f"v_{item.id}": "0"}).status_code == 302
    assert Answer.objects.get(response=started.response).value == 5
