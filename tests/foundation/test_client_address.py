"""Behind a reverse proxy, per-address rules see each client, and a client cannot spoof."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from koers.surveys import links, throttle
from koers.web.middleware import client_address


@pytest.mark.parametrize(
    ("header", "proxies", "expected"),
    [
        ("203.0.113.5", 1, "203.0.113.5"),
        ("6.6.6.6, 203.0.113.5", 1, "203.0.113.5"),  # the left entry came from the client
        ("6.6.6.6, 203.0.113.5, 10.0.0.2", 2, "203.0.113.5"),  # two proxies
        ("203.0.113.5", 2, "203.0.113.5"),  # fewer entries than proxies: the first
        (" 2001:db8::1 ", 1, "2001:db8::1"),
        ("203.0.113.5", 0, None),  # no proxy trusted: the header means nothing
        ("not-an-address", 1, None),
        ("", 1, None),
    ],
)
def test_the_client_address_is_read_from_the_trusted_end(
    header: str, proxies: int, expected: str | None
) -> None:
    assert client_address(header, proxies) == expected


def _guess(client: Any, forwarded_for: str) -> int:
    code = {"code": links.new_resume_code()}
    reply = client.post(reverse("resume"), code, HTTP_X_FORWARDED_FOR=forwarded_for)
    return int(reply.status_code)


def test_one_guessing_client_does_not_lock_out_the_others(
    client: Any, settings: Any, db: Any
) -> None:
    settings.KOERS_PROXY_COUNT = 1  # REMOTE_ADDR is the proxy's for everybody
    for _ in range(throttle.FAILED_LOOKUP_LIMIT):
        _guess(client, "198.51.100.7")
    assert _guess(client, "198.51.100.7") == 429
    assert _guess(client, "203.0.113.9") == 400  # a colleague behind the same proxy: "unknown code"
    # the guesser cannot escape by prepending another address
    assert _guess(client, "203.0.113.10, 198.51.100.7") == 429


def test_without_a_trusted_proxy_the_header_is_ignored(client: Any, settings: Any, db: Any) -> None:
    settings.KOERS_PROXY_COUNT = 0
    for n in range(throttle.FAILED_LOOKUP_LIMIT):
        _guess(client, f"198.51.100.{n}")  # a different made-up address each time
    assert _guess(client, "203.0.113.9") == 429  # all from the one real address
