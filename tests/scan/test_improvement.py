"""The improvement-area rules are data: each loads, fires on its metrics, and cites the seed."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest

from koers.scan.improvement import RULES_FILE, RuleError, evaluate, load_rules, parse_catalogue

SEEDS = Path(
    os.environ.get("KOERS_SEEDS_DIR", Path(__file__).resolve().parents[3] / "shared" / "seeds")
)


def _normalise(text: str) -> str:
    return " ".join(text.replace("’", "'").replace("“", '"').replace("”", '"').split())


def test_every_rule_loads() -> None:
    catalogue = load_rules()
    assert len(catalogue.rules) >= 8
    assert set(catalogue.reasons) == {"gender_bias", "low_confidence", "work_family", "not_at_home"}
    for rule in catalogue.rules:
        assert rule.reasons
        assert rule.measures
        assert rule.conditions
        assert set(rule.title) == {"nl", "en"}


def test_every_rule_cites_an_existing_seed_file_with_its_section_and_quote() -> None:
    if not SEEDS.is_dir():
        pytest.skip(f"the seeds are not checked out at {SEEDS}")
    catalogue = load_rules()
    texts: dict[str, str] = {}
    for rule in catalogue.rules:
        seed = SEEDS / rule.source["file"]
        assert seed.is_file(), f"rule {rule.id} cites {seed}, which does not exist"
        text = texts.setdefault(seed.name, _normalise(seed.read_text(encoding="utf-8")))
        assert _normalise(rule.source["quote"]) in text, f"quote of {rule.id} not in {seed.name}"
        assert _normalise(rule.source["section"]) in text, f"section of {rule.id}"
    seed_text = texts[catalogue.seed]
    for key, entry in {**catalogue.reasons, **catalogue.measures}.items():
        assert _normalise(entry["section"]) in seed_text, f"section of {key}"


def _metrics(**values: float | None) -> dict[str, float | None]:
    return values


def test_a_rule_fires_only_when_every_condition_holds() -> None:
    catalogue = load_rules()
    fired = evaluate(
        catalogue,
        _metrics(
            promotion_rate_female=0.03,
            promotion_rate_male=0.06,
            promotions_female=9,
            promotions_male=50,
            headcount_start_female=300,
            headcount_start_male=830,
        ),
    )
    assert [f["id"] for f in fired] == ["promotion_rate_women_lower"]
    finding = fired[0]
    assert "3,0 %" in finding["text"]
    assert "(9 van 300)" in finding["text"]
    assert {r["id"] for r in finding["reasons"]} == {"gender_bias", "low_confidence"}
    assert finding["measures"][0]["title"].startswith("Inclusieve functionerings")
    assert evaluate(catalogue, _metrics(promotion_rate_female=0.05, promotion_rate_male=0.06)) == []


def test_a_suppressed_metric_never_fires_a_rule() -> None:
    catalogue = load_rules()
    assert evaluate(catalogue, _metrics(promotion_rate_female=None, promotion_rate_male=0.5)) == []


def test_part_time_outflow_needs_both_conditions() -> None:
    catalogue = load_rules()
    base = {"outflow_rate_part_time": 0.2, "outflow_rate_full_time": 0.1}
    assert evaluate(catalogue, {**base, "part_time_share_female": 0.1}) == []
    fired = evaluate(catalogue, {**base, "part_time_share_female": 0.45}, lang="en")
    assert [f["id"] for f in fired] == ["part_time_outflow"]
    assert fired[0]["reasons"][0]["label"] == "Combining work and family"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"when": [{"metric": "no_such_metric", "above": 1}]}, "known metric"),
        ({"when": [{"metric": "female_share", "above": 1, "below": 2}]}, "exactly one"),
        ({"reasons": ["luck"]}, "reasons must be"),
        ({"measures": []}, "measures must be"),
        ({"source": {"section": "x"}}, "source needs"),
        ({"finding": {"nl": "{nope}", "en": "x"}}, "unknown placeholders"),
        ({"title": {"nl": "alleen Nederlands"}}, "English"),
    ],
)
def test_malformed_rules_are_refused_with_their_id(change: dict[str, Any], message: str) -> None:
    import yaml

    data = yaml.safe_load(RULES_FILE.read_text(encoding="utf-8"))
    data["rules"][0].update(change)
    with pytest.raises(RuleError, match=re.escape(message)) as error:
        parse_catalogue(data)
    assert data["rules"][0]["id"] in str(error.value)
