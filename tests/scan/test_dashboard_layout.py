"""The Gender Scan dashboard: a contents list and sections that fold; the PDF does not fold.
On an English page the whitepaper's Dutch quotations keep the original with a translation."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from koers.hrfile import check_for_import, parse_employees, read_table, suggest_mapping
from koers.scan.improvement import load_rules
from koers.scan.models import Snapshot
from koers.scan.pdf import render_html
from koers.scan.report import build_context
from koers.scan.services import store_snapshot
from tests.scan.conftest import REF


@pytest.fixture
def snapshot(org_a: Any, good_file: bytes) -> Snapshot:
    raw = read_table(good_file, filename="x.csv")
    checked = check_for_import(parse_employees(raw, suggest_mapping(raw.headers)), REF)
    return store_snapshot(org_a, REF, checked.employees, filename="x.csv")


def _page(client: Any, user: Any, lang: str = "nl") -> str:
    client.force_login(user)
    client.cookies["django_language"] = lang
    response = client.get(reverse("scan_home", kwargs={"org": "alpha"}), HTTP_ACCEPT_LANGUAGE=lang)
    assert response.status_code == 200
    return str(response.content.decode())


def test_the_contents_list_links_to_every_section_and_every_section_folds(
    client: Any, hr_user: Any, snapshot: Snapshot
) -> None:
    html = _page(client, hr_user)
    nav = re.search(r'<nav class="scan-contents".*?</nav>', html, re.S)
    assert nav is not None
    targets = re.findall(r'href="#(\w+)"', nav.group(0))
    found = re.findall(r'<section class="scan-section" aria-labelledby="(\w+)">', html)
    sections = [s for s in found if s != "beheer"]  # deleting the baseline is not the report
    assert len(sections) >= 8
    assert set(targets) == set(sections)
    for section in sections:
        body = html.split(f'aria-labelledby="{section}">', 1)[1]
        # Open by default (works without JavaScript); the heading is the summary.
        assert body.lstrip().startswith('<details class="scan-fold" open>')
        assert re.match(r'\s*<details[^>]*>\s*<summary><h2 id="' + section, body)


def test_the_pdf_has_no_folds(snapshot: Snapshot) -> None:
    report = build_context(snapshot.frame(), REF, hr=True)
    with translation.override("nl"):
        html = render_html(
            None, {"snapshot": snapshot, "r": report, "organisation": snapshot.organisation}
        )
    assert "<details" not in html.split("<main", 1)[-1].replace('class="scan-explain"', "")
    assert "scan-fold" not in html
    assert 'id="kern"' in html


def test_english_pages_show_the_dutch_quote_with_its_translation(
    client: Any, hr_user: Any, snapshot: Snapshot
) -> None:
    report = build_context(snapshot.frame(), REF, hr=True, lang="en")
    shown = [f for f in report["findings"]]
    assert shown, "the test file raises at least one improvement area"
    catalogue = {rule.id: rule for rule in load_rules().rules}
    for item in shown:
        source = catalogue[item["id"]].source
        assert item["quote_translation"] == source["quote_en"]
        assert item["quote_translation"] != source["quote"]
    html = _page(client, hr_user, "en")
    first = catalogue[shown[0]["id"]].source
    assert f'<q lang="nl">{first["quote"]}</q>' in html
    assert first["quote_en"] in html


def test_every_rule_has_an_english_quote() -> None:
    for rule in load_rules().rules:
        assert rule.source.get("quote_en"), rule.id
