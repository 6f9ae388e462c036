"""A respondent's link secret and resume code stay out of addresses (browser history, proxy
logs, bookmarks) after the first visit, and out of every log record.

The attacks use the addresses a respondent really has (the invitation link, the open link,
the resume form), so they run against any URL layout.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from koers.lib.redact import SOURCE_LOGGERS, RedactCredentials
from koers.surveys import links, services
from koers.surveys.models import Answer
from tests.surveys.conftest import first_scale_item, open_link


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    cache.clear()


def _addresses(reply: Any) -> list[str]:
    """Every address the browser showed after the request (redirects and the last page)."""
    return [url for url, _status in reply.redirect_chain] + [reply.request["PATH_INFO"]]


def _assert_nowhere(secret: str, reply: Any) -> None:
    for address in _addresses(reply):
        assert secret not in address, address
    assert secret not in reply.content.decode()  # no link or form on the page holds it


def test_after_opening_the_link_no_address_or_page_holds_the_secret(
    client: Any, campaign: Any, compass: Any
) -> None:
    started = services.start_open_response(campaign, "nl")
    secret = started.secret
    page = client.get(f"/r/{secret}/", follow=True)
    assert page.status_code == 200
    assert "/deel/" in page.request["PATH_INFO"]
    _assert_nowhere(secret, page)
    # The plain form (no JavaScript) posts to the page's own address and walks on.
    item = re.search(r'data-item="([^"]+)"', page.content.decode()).group(1)
    review = client.post(
        page.request["PATH_INFO"], {item: "", f"v_{item}": "0", "nav": "review"}, follow=True
    )
    assert "Bijna klaar" in review.content.decode()
    _assert_nowhere(secret, review)
    finish = re.search(r'action="([^"]+/klaar/)"', review.content.decode()).group(1)
    report = client.post(finish, follow=True)
    assert "Je Carrière Kompas-rapport" in report.content.decode()
    _assert_nowhere(secret, report)
    pdf = re.search(r'href="([^"]+rapport\.pdf)"', report.content.decode()).group(1)
    assert client.get(pdf)["Content-Type"] == "application/pdf"


def test_the_open_link_start_page_does_not_put_the_new_secret_in_a_link(
    client: Any, campaign: Any
) -> None:
    url = reverse("campaign_landing", kwargs={"token": campaign.public_token})
    page = client.post(url)
    html = page.content.decode()
    assert "Begin met de vragen" in html
    assert 'href="/r/' not in html
    held = [m.value for name, m in page.cookies.items() if name.startswith(links.COOKIE_PREFIX)]
    assert len(held) == 1
    assert held[0] not in html
    # The credential-free link works in this browser, and the next pages too.
    start = re.search(r'href="(/invullen/[^"]+)"', html).group(1)
    first = client.get(start, follow=True)
    assert first.status_code == 200
    _assert_nowhere(held[0], first)


def test_a_resume_code_is_posted_and_never_appears_in_an_address(
    client: Any, campaign: Any
) -> None:
    started = services.start_open_response(campaign, "nl")
    code = started.code or ""
    page = client.post(reverse("resume"), {"code": links.format_code(code).lower()}, follow=True)
    assert "/deel/" in page.request["PATH_INFO"]
    for spelling in (code, links.format_code(code)):
        _assert_nowhere(spelling, page)


def test_the_report_after_resuming_has_no_code_in_its_address(client: Any, campaign: Any) -> None:
    started = services.start_open_response(campaign, "nl")
    services.finish_response(started.response, started.secret)
    code = started.code or ""
    report = client.post(reverse("resume"), {"code": code}, follow=True)
    assert "Je Carrière Kompas-rapport" in report.content.decode()
    for spelling in (code, links.format_code(code)):
        _assert_nowhere(spelling, report)


@override_settings(SESSION_COOKIE_SECURE=True)
def test_the_cookie_is_httponly_secure_lax_and_only_for_its_own_pages(
    client: Any, campaign: Any
) -> None:
    started = services.start_open_response(campaign, "nl")
    reply = client.get(reverse("respond", kwargs={"credential": started.secret}))
    (morsel,) = [m for m in reply.cookies.values() if m.value == started.secret]
    assert morsel["httponly"]
    assert morsel["secure"]
    assert morsel["samesite"] == "Lax"
    assert morsel["path"] == reply["Location"]
    assert reply["Location"].startswith("/invullen/")
    assert int(morsel["max-age"]) > 0


def test_two_responses_in_one_browser_each_keep_their_own(
    client: Any, campaign: Any, invite_campaign: Any, compass: Any
) -> None:
    """Two campaigns, or two people on one family PC: each slot has its own cookie."""
    mine = services.start_open_response(campaign, "nl")
    invitation = services.invite(invite_campaign, ["sanne@example.nl"])[0]
    theirs_secret = services.invitation_link_secret(invitation) or ""
    mine_slot = open_link(client, mine.secret)
    theirs_slot = open_link(client, theirs_secret)
    assert mine_slot != theirs_slot
    client.post(reverse("respond_home", kwargs={"slot": theirs_slot}))  # start the invitation
    item = first_scale_item(compass)
    for slot, value in ((mine_slot, 2), (theirs_slot, 6), (mine_slot, 3)):
        version = 0 if value != 3 else 1
        body = f'{{"item": "{item.id}", "value": {value}, "version": {version}}}'
        url = reverse("respond_save", kwargs={"slot": slot})
        assert client.post(url, body, "application/json").status_code == 200
    answers = {a.response.access_hash: a.value for a in Answer.objects.select_related("response")}
    assert answers == {
        links.response_hash(mine.secret): 3,
        links.response_hash(theirs_secret): 6,
    }


def test_an_old_bookmark_with_the_secret_still_opens_the_report(client: Any, campaign: Any) -> None:
    started = services.start_open_response(campaign, "nl")
    services.finish_response(started.response, started.secret)
    report = client.get(f"/r/{started.secret}/rapport/", follow=True)
    assert "Je Carrière Kompas-rapport" in report.content.decode()
    assert started.secret not in report.request["PATH_INFO"]


@contextmanager
def _log_of(*names: str) -> Iterator[list[str]]:
    """The formatted messages the named loggers emit (also those that do not propagate)."""
    seen: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            seen.append(record.getMessage())

    handler = Keep(logging.DEBUG)
    loggers = [logging.getLogger(name) for name in names]
    for logger in loggers:
        logger.addHandler(handler)
    try:
        yield seen
    finally:
        for logger in loggers:
            logger.removeHandler(handler)


def test_a_404_and_a_409_log_no_credential(client: Any, campaign: Any, compass: Any) -> None:
    started = services.start_open_response(campaign, "nl")
    secret, code = started.secret, started.code or ""
    item = first_scale_item(compass)
    with _log_of("django.request") as logged:
        # A mistyped address under the personal link, and under a resume code.
        assert client.get(f"/r/{secret}/bestaat-niet/").status_code == 404
        assert client.get(f"/r/{links.format_code(code)}/bestaat-niet/").status_code == 404
        # The plain form sends an answer that was changed elsewhere meanwhile: 409.
        page = client.get(f"/r/{secret}/deel/{item.section}/", follow=True)
        services.save_answer(started.response, compass, item.id, 6, 0)
        stale = {item.id: "2", f"v_{item.id}": "0", "nav": "next"}
        assert client.post(page.request["PATH_INFO"], stale).status_code == 409
    text = "\n".join(logged)
    assert "Not Found" in text
    assert "Conflict" in text
    for credential in (secret, code, links.format_code(code)):
        assert credential not in text


@pytest.mark.parametrize("name", SOURCE_LOGGERS)
def test_every_request_logger_redacts_links_tokens_and_query_strings(name: str) -> None:
    secret, token = links.new_secret(), "campaign-token-" + links.new_resume_code()
    with _log_of(name) as logged:
        logger = logging.getLogger(name)
        logger.warning("Not Found: %s", f"/r/{secret}/rapport/")
        logger.warning('"GET /s/%s/?ref=%s HTTP/1.1" 404', token, secret)
        logger.warning("%(r)s %(s)s", {"r": f"POST /meld/{token}/ HTTP/1.1", "s": "409"})
    text = "\n".join(logged)
    assert len(logged) == 3
    assert secret not in text
    assert token not in text
    assert "/r/[…]/rapport/" in text
    assert "/s/[…]/?[…]" in text


def test_the_console_handler_redacts_what_other_loggers_pass_on() -> None:
    secret = links.new_secret()
    handlers = [
        h
        for h in logging.getLogger().handlers
        if any(isinstance(f, RedactCredentials) for f in h.filters)
    ]
    assert handlers, "settings.LOGGING: the console handler needs the redact filter"
    record = logging.LogRecord(
        "koers.anything", logging.ERROR, __file__, 1, "Failed %s", (f"/r/{secret}/",), None
    )
    assert handlers[0].filter(record)
    assert secret not in record.getMessage()


def test_another_browser_on_the_slot_address_is_told_why_and_not_counted_as_guessing(
    client: Any, campaign: Any
) -> None:
    from koers.surveys import throttle

    started = services.start_open_response(campaign, "nl")
    url = reverse("respond_home", kwargs={"slot": links.slot_of(started.secret)})
    for _ in range(throttle.FAILED_LOOKUP_LIMIT + 1):
        page = client.get(url)
        assert page.status_code == 404
    assert "alleen in de browser" in page.content.decode()
    assert client.post(reverse("resume"), {"code": started.code}).status_code == 302
