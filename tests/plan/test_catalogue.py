"""The measures catalogue: complete, unique, linked to real findings, quoting its seeds."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from koers.plan.catalogue import (
    CATALOGUE_FILE,
    EFFORTS,
    OWNERS,
    REASONS,
    CatalogueError,
    known_findings,
    load_catalogue,
    parse_catalogue,
)
from koers.scan.improvement import load_rules

# The shared folder beside the checkout, or where KOERS_SHARED points.
SHARED = Path(os.environ.get("KOERS_SHARED") or Path(__file__).resolve().parents[3] / "shared")
SEEDS = SHARED / "seeds"


def _normalise(text: str) -> str:
    """One space for every run of white space, straight quotes (the PDF's line breaks)."""
    return " ".join(text.replace("’", "'").replace("“", '"').replace("”", '"').split())


def _dehyphenate(text: str) -> str:
    """Join words the PDF broke over a line ("opleidingsbudget-\nten")."""
    return re.sub(r"(\w)-[ \t]*\n\s*(?=[a-zà-ÿ])", r"\1", text)


def _raw() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(CATALOGUE_FILE.read_text(encoding="utf-8"))
    return data


def test_the_catalogue_holds_between_25_and_40_measures_with_unique_ids() -> None:
    ids = [m["id"] for m in _raw()["measures"]]
    assert 25 <= len(ids) <= 40
    assert len(set(ids)) == len(ids)
    assert load_catalogue().ids() == tuple(ids)


def test_every_measure_is_complete() -> None:
    for m in load_catalogue().measures:
        for field in ("title", "description"):
            assert all(m.text(field, lang) for lang in ("nl", "en")), (m.id, field)
        # Both languages written out (a title such as "Reverse mentoring" may be the same).
        assert m.description["nl"] != m.description["en"], m.id
        assert set(m.reasons) <= set(REASONS), m.id
        assert m.effort in EFFORTS, m.id
        assert m.owner in OWNERS, m.id
        assert m.source.file, m.id
        assert m.source.quote, m.id


def test_every_leaving_reason_and_every_effort_level_is_used() -> None:
    measures = load_catalogue().measures
    assert {r for m in measures for r in m.reasons} == set(REASONS)
    assert {m.effort for m in measures} == set(EFFORTS)


def test_every_finding_code_exists() -> None:
    known = known_findings()
    scan_rules = {r.id for r in load_rules().rules}
    for m in load_catalogue().measures:
        assert set(m.findings) <= set(known), m.id
    used = {f for m in load_catalogue().measures for f in m.findings}
    # Every improvement area of the Gender Scan leads to at least one measure.
    assert scan_rules <= used


def test_every_measure_the_scan_names_for_a_rule_is_in_the_catalogue_for_that_rule() -> None:
    """The scan's improvement area and the plan's recommendations agree: each measure a
    rule names (broad, like family_friendly) has a catalogue measure under it that lists
    the rule among its findings."""
    catalogue = load_catalogue()
    for rule in load_rules().rules:
        for scan_measure in rule.measures:
            under = [m for m in catalogue.measures if m.scan_measure == scan_measure]
            assert under, f"no catalogue measure under the scan's {scan_measure}"
            assert any(rule.id in m.findings for m in under), (rule.id, scan_measure)


def test_every_quotation_stands_verbatim_in_its_seed_file() -> None:
    if not SEEDS.is_dir():
        pytest.skip("shared/ is not beside the checkout (set KOERS_SHARED)")
    forms: dict[str, tuple[str, str]] = {}
    for m in load_catalogue().measures:
        seed = SEEDS / m.source.file
        assert seed.is_file(), f"{m.id} cites {seed}, which does not exist"
        if seed.name not in forms:
            raw = seed.read_text(encoding="utf-8")
            forms[seed.name] = (_normalise(raw), _normalise(_dehyphenate(raw)))
        quote = _normalise(m.source.quote)
        assert any(quote in text for text in forms[seed.name]), f"quote of {m.id}"


def test_a_quotation_that_is_not_in_the_seed_is_caught_by_the_check() -> None:
    if not SEEDS.is_dir():
        pytest.skip("shared/ is not beside the checkout (set KOERS_SHARED)")
    text = _normalise((SEEDS / "004_fb81b276efde7cf5.txt").read_text(encoding="utf-8"))
    assert _normalise("Formuleer streefcijfers voor de instroom en promotie van vrouwen") in text
    assert _normalise("Formuleer streefcijfers voor de uitstroom van vrouwen") not in text


def _one(**changes: Any) -> dict[str, Any]:
    entry = dict(_raw()["measures"][0])
    entry.update(changes)
    return {"measures": [entry]}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"effort": "huge"}, "measure baseline_figures: effort"),
        ({"owner": "ceo"}, "measure baseline_figures: owner"),
        ({"reasons": ["boredom"]}, "measure baseline_figures: reasons: unknown boredom"),
        ({"findings": ["no_such_rule"]}, "measure baseline_figures: findings: unknown"),
        ({"findings": None}, "measure baseline_figures: findings: needs a list"),
        ({"title": {"nl": "Alleen Nederlands"}}, "measure baseline_figures: title"),
        ({"description": {"nl": "", "en": "x"}}, "measure baseline_figures: description"),
        ({"source": {"file": "000_x.txt"}}, "measure baseline_figures: source"),
        ({"scan_measure": "nope"}, "measure baseline_figures: scan_measure"),
        ({"id": "Not an id"}, "measure 1: id"),
    ],
)
def test_a_malformed_entry_is_refused_naming_the_entry_and_field(
    changes: dict[str, Any], message: str
) -> None:
    with pytest.raises(CatalogueError, match=re.escape(message)):
        parse_catalogue(_one(**changes))


def test_a_second_measure_with_the_same_id_is_refused() -> None:
    entry = _raw()["measures"][0]
    with pytest.raises(CatalogueError, match="measure baseline_figures: id: used twice"):
        parse_catalogue({"measures": [entry, entry]})
