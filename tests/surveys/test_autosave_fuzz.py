"""Whatever a client sends to the autosave, the answer is a clear status, never a crash.

Run on SQLite and on PostgreSQL (``make test``): PostgreSQL refuses NUL characters
and lone surrogates in text and jsonb, SQLite does not, so both must be covered.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from koers.surveys import services
from koers.surveys.models import Answer
from tests.surveys.conftest import open_link

pytestmark = pytest.mark.slow  # a fuzzer: `make test-fast` leaves it out

JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=80),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=6,
)
ITEMS = st.sampled_from(["title_other", "work_status", "nope", "", "\x00"])
VERSIONS = st.one_of(st.integers(), st.floats(), st.text(max_size=5), st.none())


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(item=ITEMS, value=JSON_VALUES, version=VERSIONS)
@example(item="title_other", value="a\x00b", version=0)
@example(item="title_other", value="\ud800 lone surrogate", version=0)
@example(item="title_other", value="\u0000", version=0)
@example(item="title_other", value="x" * 61, version=0)
@example(item="work_status", value=["employed"], version=0)
def test_the_autosave_never_crashes(
    client: Any, campaign: Any, item: str, value: Any, version: Any
) -> None:
    started = services.start_open_response(campaign, "nl")
    url = reverse("respond_save", kwargs={"slot": open_link(client, started.secret)})
    body = json.dumps({"item": item, "value": value, "version": version}, allow_nan=True)
    reply = client.post(url, body, "application/json")
    assert reply.status_code in (200, 400, 409), reply.content
    stored = Answer.objects.filter(response=started.response)
    if reply.status_code == 200:
        answer = stored.get()
        assert answer.value == reply.json()["value"]
        if isinstance(answer.value, str):
            assert "\x00" not in answer.value
    else:
        assert not stored.exists()


def test_control_characters_are_dropped_from_text_answers(campaign: Any, compass: Any) -> None:
    started = services.start_open_response(campaign, "nl")
    result = services.save_answer(started.response, compass, "title_other", "data\x00 \x07sci", 0)
    assert (result.status, result.value) == ("saved", "data sci")
    refused = services.save_answer(started.response, compass, "title_other", "\ud800", 1)
    assert refused.status == "invalid"
