"""'Iets anders, namelijk …': the text field is on the page already, hidden, and shown in
place by the choice (no reload); without JavaScript saving the choice still shows it."""

from __future__ import annotations

import re
from typing import Any

from django.urls import reverse

from koers.surveys import services
from tests.surveys.conftest import open_link


def _title_page(client: Any, campaign: Any, compass: Any) -> tuple[str, str]:
    started = services.start_open_response(campaign, "nl")
    slot = open_link(client, started.secret)
    section = next(s.id for s in compass.sections if any(i.id == "title" for i in s.items))
    url = reverse("respond_section", kwargs={"slot": slot, "section": section})
    return url, client.get(url).content.decode()


def test_the_follow_up_text_field_waits_hidden_next_to_its_choice(
    client: Any, campaign: Any, compass: Any
) -> None:
    _url, html = _title_page(client, campaign, compass)
    block = re.search(r'<div class="question"[^>]*id="q-title_other"[^>]*>', html)
    assert block is not None
    tag = block.group(0)
    assert " hidden" in tag
    assert 'data-show-if-item="title"' in tag
    assert 'data-show-if-values="other"' in tag
    # It sits right after the choice that shows it.
    assert html.index('id="q-title"') < html.index('id="q-title_other"')
    assert 'id="in-title_other"' in html


def test_without_javascript_saving_the_choice_shows_the_field(
    client: Any, campaign: Any, compass: Any
) -> None:
    url, _html = _title_page(client, campaign, compass)
    saved = client.post(url, {"title": "other", "v_title": "0", "nav": "next"})
    assert saved.status_code == 302
    assert saved["Location"] == url  # the same page again, now with the field visible
    html = client.get(url).content.decode()
    tag = re.search(r'<div class="question"[^>]*id="q-title_other"[^>]*>', html)
    assert tag is not None
    assert " hidden" not in tag.group(0)
