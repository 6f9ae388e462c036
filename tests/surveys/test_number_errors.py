"""A refused number keeps what was typed, says the allowed range and is linked to the field."""

from __future__ import annotations

import re
from typing import Any

from django.urls import reverse

from koers.instruments import visible_items
from koers.surveys import services
from tests.surveys.conftest import open_link


def _number_item(compass: Any) -> Any:
    """The first number question a new respondent sees (shown without other answers)."""
    return next(
        i
        for s in compass.sections
        for i in visible_items(compass, {}, s.id)
        if i.type == "number" and i.max is not None
    )


def test_an_out_of_range_number_is_kept_with_its_range_and_linked_to_the_field(
    client: Any, campaign: Any, compass: Any
) -> None:
    item = _number_item(compass)
    started = services.start_open_response(campaign, "nl")
    slot = open_link(client, started.secret)
    url = reverse("respond_section", kwargs={"slot": slot, "section": item.section})
    too_big = str(int(item.max) + 1)
    page = client.post(url, {item.id: too_big, f"v_{item.id}": "0", "nav": "next"})
    assert page.status_code == 409
    html = page.content.decode()
    field = re.search(rf'<input id="in-{item.id}"[^>]*>', html)
    assert field is not None
    tag = field.group(0)
    assert f'value="{too_big}"' in tag  # not erased
    assert 'aria-invalid="true"' in tag
    described = re.search(r'aria-describedby="([^"]+)"', tag)
    assert described is not None
    ids = described.group(1).split()
    assert f"err-{item.id}" in ids
    error = re.search(rf'<p class="field-error" id="err-{item.id}"[^>]*>([^<]+)</p>', html)
    assert error is not None
    assert error.group(1) == f"Vul een heel getal in van {item.min} tot en met {item.max}."
    assert started.response.answers().get(item.id) is None


def test_a_number_field_always_states_its_range(client: Any, campaign: Any, compass: Any) -> None:
    item = _number_item(compass)
    started = services.start_open_response(campaign, "nl")
    slot = open_link(client, started.secret)
    url = reverse("respond_section", kwargs={"slot": slot, "section": item.section})
    html = client.get(url).content.decode()
    assert f"Een heel getal van {item.min} tot en met {item.max}." in html
    tag = re.search(rf'<input id="in-{item.id}"[^>]*>', html)
    assert tag is not None
    assert f"range-{item.id}" in tag.group(0)
    assert "aria-invalid" not in tag.group(0)
