"""Links, resume codes, throttling, closing, skipped questions and finishing."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.urls import reverse

from koers.surveys import links, services, throttle
from koers.surveys.models import Response
from tests.surveys.conftest import first_scale_item, open_link


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    cache.clear()


def test_resume_codes_have_at_least_60_bits() -> None:
    assert len(links.CODE_ALPHABET) ** links.CODE_LENGTH >= 2**60
    codes = {links.new_resume_code() for _ in range(500)}
    assert len(codes) == 500


def test_a_resume_code_survives_being_written_down_sloppily(campaign: Any) -> None:
    started = services.start_open_response(campaign, "nl")
    code = started.code or ""
    sloppy = links.format_code(code).lower().replace("1", "l").replace("0", "o")
    assert services.find_response(sloppy) == started.response


def test_the_resume_form_opens_the_response_at_the_first_unanswered_item(
    client: Any, campaign: Any, compass: Any
) -> None:
    started = services.start_open_response(campaign, "nl")
    page = client.post(reverse("resume"), {"code": started.code})
    assert page.status_code == 302
    landing = client.get(page["Location"])
    assert landing.status_code == 302
    assert (started.code or "") not in landing["Location"]
    first = compass.sections[0].items[0]
    # Nothing answered yet: page 1 opens at its top (no anchor past the heading).
    assert landing["Location"].endswith(f"/deel/{first.section}/")


def test_resuming_lands_after_the_answered_items(client: Any, campaign: Any, compass: Any) -> None:
    started = services.start_open_response(campaign, "nl")
    answered = {}
    for item in compass.sections[0].items:
        if item.show_if is None and item.type == "choice":
            services.save_answer(started.response, compass, item.id, item.options[0].value, 0)
            answered[item.id] = True
    landing = client.get(
        reverse("respond_home", kwargs={"slot": open_link(client, started.secret)})
    )
    location = landing["Location"]
    if "#q-" in location:
        assert location.split("#q-")[1] not in answered
    else:  # the next page, untouched: it opens at its top
        assert f"/deel/{compass.sections[0].id}/" not in location


def test_an_unknown_link_gets_a_friendly_page(client: Any, db: Any) -> None:
    page = client.get(reverse("respond", kwargs={"credential": "no-such-link-at-all"}))
    assert page.status_code == 404
    assert "Deze link werkt niet" in page.content.decode()


def test_guessing_codes_is_throttled(client: Any, db: Any) -> None:
    for _ in range(throttle.FAILED_LOOKUP_LIMIT):
        client.post(reverse("resume"), {"code": links.new_resume_code()})
    page = client.post(reverse("resume"), {"code": links.new_resume_code()})
    assert page.status_code == 429


def test_a_class_of_thirty_mistyping_once_each_is_not_blocked(client: Any, campaign: Any) -> None:
    assert throttle.FAILED_LOOKUP_LIMIT >= 20
    started = services.start_open_response(campaign, "nl")
    for _ in range(throttle.FAILED_LOOKUP_LIMIT - 1):
        client.post(reverse("resume"), {"code": "WRONGCODE123"})
    assert client.post(reverse("resume"), {"code": started.code}).status_code == 302


def test_a_closed_campaign_says_so(client: Any, campaign: Any) -> None:
    services.close_campaign(campaign)
    page = client.get(reverse("campaign_landing", kwargs={"token": campaign.public_token}))
    assert page.status_code == 410
    assert "gesloten" in page.content.decode()


def test_review_lists_the_skipped_questions_with_links(
    client: Any, campaign: Any, compass: Any
) -> None:
    started = services.start_open_response(campaign, "nl")
    page = client.get(reverse("respond_review", kwargs={"slot": open_link(client, started.secret)}))
    html = page.content.decode()
    assert "vragen overgeslagen" in html
    assert "Toch afronden" in html
    assert f"#q-{first_scale_item(compass).id}" in html


def test_finishing_shows_the_personal_report(client: Any, campaign: Any) -> None:
    started = services.start_open_response(campaign, "nl")
    page = client.post(
        reverse("respond_finish", kwargs={"slot": open_link(client, started.secret)}), follow=True
    )
    assert "Je Carrière Kompas-rapport" in page.content.decode()
    assert Response.objects.get().is_finished


def test_the_department_question_is_the_campaigns_own_and_optional(
    client: Any, campaign: Any, compass: Any
) -> None:
    instrument = campaign.instrument()
    department = instrument.item("department")
    assert [o.value for o in department.options] == ["R&D", "Productie"]
    assert department.optional


def test_a_question_that_appears_on_the_same_page_is_shown_before_moving_on(
    client: Any, campaign: Any, compass: Any
) -> None:
    started = services.start_open_response(campaign, "nl")
    url = reverse(
        "respond_section", kwargs={"slot": open_link(client, started.secret), "section": "start"}
    )
    page = client.post(url, {"title": "other", "v_title": "0", "nav": "next"})
    assert page["Location"].endswith("/deel/start/")
    assert 'name="title_other"' in client.get(page["Location"]).content.decode()


@pytest.fixture
def _one_minute(monkeypatch: Any) -> None:
    """The rate limits count per clock minute: hold the clock so no test crosses a minute."""
    from types import SimpleNamespace

    monkeypatch.setattr(throttle, "time", SimpleNamespace(time=lambda: 1_800_000_000.0))


@pytest.mark.usefixtures("_one_minute")
def test_one_address_has_a_generous_ceiling(client: Any, campaign: Any, settings: Any) -> None:
    settings.KOERS_PUBLIC_REQUESTS_PER_MINUTE = 30  # lowered so the test stays fast
    url = reverse("campaign_landing", kwargs={"token": campaign.public_token})
    statuses = [client.post(url).status_code for _ in range(31)]
    assert statuses[:30] == [200] * 30  # a class of 30 starts together from one school address
    assert statuses[30] == 429


@pytest.mark.parametrize(
    ("language", "expected"),
    [("nl", "nog ongeveer 1 minuut</p>"), ("en", "about 1 minute left</p>")],
)
def test_the_last_page_says_one_minute_in_the_singular(
    client: Any, campaign: Any, compass: Any, language: str, expected: str
) -> None:
    """Issue 14: "nog ongeveer 1 minuten" on the last page."""
    from django.utils import translation

    started = services.start_open_response(campaign, language)
    slot = open_link(client, started.secret)
    last = campaign.instrument().sections[-1].id
    with translation.override(language):
        html = client.get(
            reverse("respond_section", kwargs={"slot": slot, "section": last}),
            HTTP_ACCEPT_LANGUAGE=language,
        ).content.decode()
    assert expected in html
    assert "1 minuten" not in html
    assert "1 minutes" not in html
