"""The parent guide: every rule has a source and a date, and the page shows them."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml
from django.urls import reverse

from koers.dialogue.guide import GUIDE_FILE, GuideError, load_guide, parse_guide
from koers.organisations.models import Role

TOPICS_ASKED = {"pregnancy", "partner", "parental", "breastfeeding", "return", "protection"}


def test_every_rule_has_a_source_a_checked_date_and_both_languages() -> None:
    guide = load_guide()
    assert {r.topic for r in guide.rules} == TOPICS_ASKED
    for rule in guide.rules:
        assert rule.source_title, rule.key
        assert isinstance(rule.checked, dt.date), rule.key
        assert rule.checked <= dt.datetime.now(tz=dt.UTC).date(), rule.key
        assert rule.status in ("ok", "check"), rule.key
        for text in (rule.title, rule.rule, rule.good_practice):
            assert text["nl"].strip(), rule.key
            assert text["en"].strip(), rule.key


def test_the_guide_covers_each_leave_the_issue_names() -> None:
    keys = {r.key for r in load_guide().rules}
    assert {
        "pregnancy-maternity-leave",
        "partner-birth-leave",
        "partner-additional-leave",
        "parental-leave",
        "breastfeeding-time",
        "breastfeeding-room",
        "protection-dismissal",
        "return-conversation",
    } <= keys


def test_a_rule_without_a_date_or_source_is_refused() -> None:
    data = yaml.safe_load(GUIDE_FILE.read_text(encoding="utf-8"))
    data["rules"][0].pop("checked")
    with pytest.raises(GuideError, match="checked"):
        parse_guide(data)
    data = yaml.safe_load(GUIDE_FILE.read_text(encoding="utf-8"))
    data["rules"][2]["source"] = {"title": ""}
    with pytest.raises(GuideError, match="source"):
        parse_guide(data)


def test_the_checklists_ask_partners_when_not_whether_they_take_leave() -> None:
    manager = load_guide().checklists["manager"]["items"]
    assert any("wanneer" in item["nl"] and "niet of" in item["nl"] for item in manager)


@pytest.mark.django_db
def test_a_manager_reads_the_guide_with_sources_and_marks_to_check(client, member_of) -> None:
    client.force_login(member_of(Role.MANAGER))
    page = client.get(reverse("dialogue_guide", kwargs={"org": "alpha"})).content.decode()
    assert "https://wetten.overheid.nl/BWBR0013008" in page
    assert "controleren" in page
    assert page.count('class="card" id="rule-') == len(load_guide().rules)


@pytest.mark.django_db
def test_the_works_council_and_another_organisation_cannot_open_the_guide(
    client, member_of, charlie
) -> None:
    url = reverse("dialogue_guide", kwargs={"org": "alpha"})
    client.force_login(member_of(Role.WORKS_COUNCIL))
    assert client.get(url).status_code == 403
    client.force_login(charlie)
    assert client.get(url).status_code == 404
