"""Issue 13, points 4, 5 and 8: profile texts true to seed 001, about people with the
profile, with where this person differs; the revised item set (Career Compass v2)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from koers.compass.profiles import load_profiles
from koers.compass.texts import profile_texts
from koers.instruments import get_instrument

# The shared folder beside the checkout, or where KOERS_SHARED points.
SHARED = Path(os.environ.get("KOERS_SHARED") or Path(__file__).resolve().parents[3] / "shared")
SEED = SHARED / "seeds" / "001_8baae205fba51f5d.txt"
SEED_NAMES = {
    "nerd": "Nerd",
    "einzelganger": "Einzelgänger",
    "traditionalist": "Traditionalist",
    "innovator": "Innovator",
    "allrounder": "All-rounder",
    "status_seeker": "Status Seeker",
}


def seed_lines() -> list[str]:
    if not SEED.exists():
        pytest.skip(f"seed 001 not found at {SEED}")
    return SEED.read_text(encoding="utf-8").splitlines()


def span_text(lines: list[str], first: int, last: int) -> str:
    assert 1 <= first <= last <= len(lines), (first, last)
    return re.sub(r"\s+", " ", " ".join(lines[first - 1 : last])).lower()


def statements() -> list[tuple[str, object]]:
    texts = profile_texts()
    return [
        (key, st)
        for key, profile in texts.profiles.items()
        for st in (*profile.typical, *profile.atypical)
    ]


def test_every_profile_has_a_statement_per_seed_category_in_both_columns() -> None:
    texts = profile_texts()
    assert set(texts.profiles) == set(load_profiles().keys) == set(SEED_NAMES)
    for profile in texts.profiles.values():
        for column in (profile.typical, profile.atypical):
            assert [s.category for s in column] == list(texts.categories)


@pytest.mark.parametrize(("key", "statement"), statements())
def test_each_statement_keeps_the_seeds_words(key: str, statement: object) -> None:
    """Runs without the seed file: the Dutch text keeps each term the statement cites, the
    English text its agreed translation, and every statement cites at least one term."""
    glossary = profile_texts().glossary
    assert statement.terms, statement.source  # type: ignore[attr-defined]
    for term in statement.terms:  # type: ignore[attr-defined]
        assert term["text"].lower() in statement.text["nl"].lower(), term  # type: ignore[attr-defined]
        assert glossary[term["text"].lower()].lower() in statement.text["en"].lower(), term  # type: ignore[attr-defined]


@pytest.mark.parametrize(("key", "statement"), statements())
def test_each_statement_cites_a_seed_line_that_has_its_words(key: str, statement: object) -> None:
    lines = seed_lines()
    first, last = statement.lines()  # type: ignore[attr-defined]
    seed = span_text(lines, first, last)
    for term in statement.terms:  # type: ignore[attr-defined]
        assert term["seed"].lower() in seed, (statement.source, term)  # type: ignore[attr-defined]


def test_each_statement_sits_in_its_profiles_block_of_the_table() -> None:
    """The cited line lies between the profile's name in the table and the next one's."""
    lines = seed_lines()
    starts = {
        key: next(i + 1 for i in range(1135, 1275) if lines[i].strip() == name)
        for key, name in SEED_NAMES.items()
    }
    order = sorted(starts, key=starts.get)  # type: ignore[arg-type]
    ends = {k: (starts[order[i + 1]] if i + 1 < len(order) else 1270) for i, k in enumerate(order)}
    for key, st in statements():
        first, last = st.lines()  # type: ignore[attr-defined]
        assert starts[key] < first <= last < ends[key], (key, st.source)  # type: ignore[attr-defined]


def test_the_drifted_words_are_gone() -> None:
    """'zelfingenomen' stays, 'meegaand' stays; the Einzelgänger gains no traits."""
    every_nl = " ".join(st.text["nl"] for _, st in statements()).lower()  # type: ignore[attr-defined]
    assert "zelfbewust" not in every_nl
    assert "afspraken" not in every_nl
    assert "zelfingenomen" in every_nl
    assert "meegaand" in every_nl
    einzel = profile_texts().profiles["einzelganger"]
    words = " ".join(s.text["nl"] for s in (*einzel.typical, *einzel.atypical)).lower()
    for added in ("zelfstandig", "vertrouwde", "grote teams"):
        assert added not in words


@pytest.mark.parametrize("key", list(SEED_NAMES))
def test_next_steps_are_reasoned_suggestions_built_on_the_seed(key: str) -> None:
    lines = seed_lines()
    profile = profile_texts().profiles[key]
    sources = [st.lines() for st in (*profile.typical, *profile.atypical)]
    assert profile.next_steps
    for step in profile.next_steps:
        assert step.why["nl"]
        assert step.why["en"]
        prefix, _, span = step.builds_on.partition(":")
        assert prefix == "001"
        first, _, last = span.partition("-")
        a, b = int(first), int(last or first)
        text = span_text(lines, a, b)
        overlaps = any(a <= hi and lo <= b for lo, hi in sources)
        # either one of the profile's own rows, or a finding that names the profile
        assert overlaps or SEED_NAMES[key].lower().rstrip("s") in text, (key, step.builds_on)


# Point 4: the report says where this person differs from the profile.


def test_differences_are_the_facets_on_the_other_side_of_the_midpoint() -> None:
    from koers.compass.report import differences

    instrument = get_instrument("career_compass")
    facets = [s.id for s in instrument.scales if s.kind == "facet"]
    # The example: a Status Seeker with extraversion 4.0 and research 5.0.
    scores: dict[str, float | None] = dict.fromkeys(facets, None)
    scores.update(
        {"extraversion": 4.0, "research_engineering": 5.0, "power": 6.0, "tv": 2.0, "sport": 1.0}
    )
    found = {d["label"]: d for d in differences("status_seeker", scores, instrument, "nl")}
    assert set(found) == {"Extravert (tegenover introvert)", "Research & engineering"}
    assert found["Extravert (tegenover introvert)"]["high"] is True
    assert found["Extravert (tegenover introvert)"]["typical"] == pytest.approx(5.0)
    assert found["Research & engineering"]["high"] is False
    assert found["Research & engineering"]["typical"] == pytest.approx(3.0)
    # Independently: every facet the signature marks, scored on the wrong side, is listed.
    profiles = load_profiles()
    ss = profiles.get("status_seeker")
    everything = {f: 4.0 for f in facets}
    expected = {
        instrument.scale(f).label.get("nl")
        for f in profiles.model_facets(facets)
        if profiles.direction(ss, f, facets) != 0
    }
    listed = {d["label"] for d in differences("status_seeker", everything, instrument, "nl")}
    assert listed == expected  # 4.0 is the midpoint: on no profile's side


# Point 8: Career Compass v2.


def test_v2_has_items_for_the_seed_examples_that_had_none() -> None:
    v2 = get_instrument("career_compass", 2)
    texts = {i.text.get("nl"): i for i in v2.items if i.type == "scale"}
    assert texts["eerlijk"].scale == "honesty"
    assert texts["beleefd zijn"].scale == "politeness"
    assert texts["vriendschap"].scale == "friendship"
    money_value = texts["geld verdienen"]
    assert money_value.scale == "money"
    assert money_value.section == "values"


def test_v2_measures_sensitivity_without_a_neuroticism_item() -> None:
    v2 = get_instrument("career_compass", 2)
    items = v2.scale_items("sensitivity")
    assert len(items) >= 3
    assert not any("Neuroticism" in (i.source or "") for i in items)
    assert "snel van streek" not in [i.text.get("nl") for i in items]


def test_v2_holds_modest_and_self_important_as_the_two_ends_of_one_facet() -> None:
    v2 = get_instrument("career_compass", 2)
    assert "self_importance" not in [s.id for s in v2.scales]
    items = v2.scale_items("modesty")
    assert sum(i.reverse for i in items) == 3
    assert sum(not i.reverse for i in items) == 3
    profiles = load_profiles()
    facets = [s.id for s in v2.scales if s.kind == "facet"]
    col = facets.index("modesty")
    sig = profiles.signatures(facets)
    by_key = dict(zip(profiles.keys, sig[:, col], strict=True))
    s = profiles.strength
    # Status Seeker: self-important (WEL) and not modest (NIET); Traditionalist modest;
    # All-rounder not self-important; the others neither.
    assert by_key == pytest.approx(
        {
            "status_seeker": -s,
            "traditionalist": s,
            "allrounder": s,
            "nerd": 0.0,
            "einzelganger": 0.0,
            "innovator": 0.0,
        }
    )


def test_v1_signatures_are_unchanged() -> None:
    """Running v1 campaigns keep their model: self_importance stays its own facet."""
    v1 = get_instrument("career_compass", 1)
    profiles = load_profiles()
    facets = [s.id for s in v1.scales if s.kind == "facet"]
    sig = profiles.signatures(facets)
    for k, p in enumerate(profiles.profiles):
        for j, f in enumerate(facets):
            assert sig[k, j] == profiles.strength * p.direction(f)


@pytest.mark.parametrize("version", [1, 2])
def test_facets_no_profile_names_stay_out_of_the_profile_model(version: int) -> None:
    from koers.compass.services import profile_facets

    instrument = get_instrument("career_compass", version)
    used = profile_facets(instrument)
    outside = {"sport", "networking", "data_analysis", "honesty", "politeness", "friendship"}
    assert not outside & set(used)
    assert {"extraversion", "modesty", "money", "research_engineering"} <= set(used)


def test_the_item_map_documents_every_v2_facet() -> None:
    doc = (Path(__file__).resolve().parents[2] / "docs" / "compass-items.md").read_text("utf-8")
    v2 = get_instrument("career_compass", 2)
    for scale in v2.scales:
        if scale.kind == "facet":
            assert re.search(rf"`{scale.id}`", doc), scale.id
    for item in v2.items:
        if item.type == "scale" and item.scale and v2.scale(item.scale).kind == "facet":
            assert f"`{item.id}`" in doc, item.id
