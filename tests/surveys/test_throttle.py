"""The autosave's rate limits, on the per-process cache and on Redis as in production."""

from __future__ import annotations

import json
import os
import uuid
from types import SimpleNamespace
from typing import Any

import pytest
from django.urls import reverse

from koers.lib import ratelimit
from koers.surveys import links, services, throttle
from tests.conftest import require_redis
from tests.surveys.conftest import first_scale_item, hold_cookie

REDIS_URL = os.environ.get("KOERS_TEST_REDIS_CACHE_URL", "redis://127.0.0.1:6379/14")


def _use_redis(settings: Any) -> None:
    require_redis()
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"test-{uuid.uuid4().hex}",  # parallel runs never share counters
        }
    }
    assert ratelimit.redis_client() is not None  # the one-round-trip path is the one tested


@pytest.fixture(params=["locmem", "redis"])
def backend(request: Any, settings: Any, monkeypatch: Any) -> str:
    """Each test runs on both cache backends, with the clock held inside one minute."""
    monkeypatch.setattr(throttle, "time", SimpleNamespace(time=lambda: 1_800_000_000.0))
    if request.param == "redis":
        _use_redis(settings)
    else:
        assert ratelimit.redis_client() is None
    return str(request.param)


def _save(client: Any, credential: str, item: Any, version: int) -> Any:
    url = reverse("respond_save", kwargs={"slot": hold_cookie(client, credential)})
    body = json.dumps({"item": item.id, "value": 1 + version % 7, "version": version})
    return client.post(url, body, "application/json")


def test_a_runaway_response_is_slowed_down_and_others_are_not(
    backend: str, client: Any, campaign: Any, compass: Any
) -> None:
    item = first_scale_item(compass)
    runaway = services.start_open_response(campaign, "nl")
    other = services.start_open_response(campaign, "nl")
    statuses = [
        _save(client, runaway.secret, item, v).status_code
        for v in range(throttle.SAVES_PER_RESPONSE_PER_MINUTE + 1)
    ]
    assert set(statuses[:-1]) == {200}
    assert statuses[-1] == 429
    assert _save(client, other.secret, item, 0).status_code == 200


def test_the_address_ceiling_counts_autosaves(
    backend: str, client: Any, campaign: Any, compass: Any, settings: Any
) -> None:
    settings.KOERS_PUBLIC_REQUESTS_PER_MINUTE = 12
    item = first_scale_item(compass)
    people = [services.start_open_response(campaign, "nl") for _ in range(13)]
    statuses = [_save(client, p.secret, item, 0).status_code for p in people]
    assert statuses == [200] * 12 + [429]


def test_an_address_guessing_links_is_refused_even_with_a_right_one(
    backend: str, client: Any, campaign: Any, compass: Any
) -> None:
    item = first_scale_item(compass)
    real = services.start_open_response(campaign, "nl")
    guesses = [
        _save(client, links.new_secret(), item, 0).status_code
        for _ in range(throttle.FAILED_LOOKUP_LIMIT)
    ]
    assert guesses == [404] * throttle.FAILED_LOOKUP_LIMIT
    refused = _save(client, real.secret, item, 0)
    assert refused.status_code == 429
    assert refused.json()["message"] == "too many attempts"
    # the refusal does not depend on whether the guess was right
    assert _save(client, links.new_secret(), item, 0).status_code == 429


def test_redis_counters_expire(
    settings: Any, monkeypatch: Any, client: Any, campaign: Any, compass: Any
) -> None:
    monkeypatch.setattr(throttle, "time", SimpleNamespace(time=lambda: 1_800_000_000.0))
    _use_redis(settings)
    from django.core.cache import cache

    started = services.start_open_response(campaign, "nl")
    assert _save(client, started.secret, first_scale_item(compass), 0).status_code == 200
    minute = 1_800_000_000 // 60
    address = ratelimit.address_key("127.0.0.1")
    for key in (
        f"koers:public:ip:{address}:{minute}",
        f"koers:public:resp:{started.response.access_hash}:{minute}",
    ):
        ttl = ratelimit.redis_client().ttl(cache.make_and_validate_key(key))
        assert 0 < ttl <= throttle.COUNTER_SECONDS


def test_with_the_counters_down_answers_are_still_saved(
    settings: Any, client: Any, campaign: Any, compass: Any, caplog: Any
) -> None:
    """Rate limits protect the service; an unreachable Redis must not cost answers."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    started = services.start_open_response(campaign, "nl")
    item = first_scale_item(compass)
    assert _save(client, started.secret, item, 0).status_code == 200
    assert _save(client, links.new_secret(), item, 0).status_code == 404  # not a 500
    assert client.post(reverse("resume"), {"code": "WRONGCODE123"}).status_code == 400
    assert "rate-limit counters unavailable" in caplog.text
    from koers.surveys.models import Answer

    assert Answer.objects.get(response=started.response).value == 1
