"""The Career Compass v1 content against the spec (spec/compass.md) and issue #3.

The facets the instrument must cover are derived from the six-profile table of
the spec, not from the YAML: every term in the table must be measured by a facet
of the right element, with at least 3 items when it appears in a profile
signature. The table is read from ``../shared/spec/compass.md`` when it is there;
a copy below keeps the test meaningful without it, and a test fails when the copy
and the spec drift apart.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from koers.instruments import Instrument, get_instrument
from koers.instruments.registry import DATA_DIR

COMPASS_FILE = DATA_DIR / "career_compass" / "v1.yaml"
SPEC = Path(__file__).resolve().parents[2].parent / "shared" / "spec" / "compass.md"

# The rows of the six-profile table of spec/compass.md, as of issue #3.
SPEC_TABLE_COPY = """
| Nerd | 1 sensitive, introvert · 2 watching TV, computers · 3 security, comfort, societal engagement · 4 research & engineering | 1 conscientious · 2 socialising · 3 power, money · 4 management & leadership, organising |
| Einzelgänger | 1 introvert, conservative · 2 watching TV, computers · 3 security & comfort · 4 research & engineering | 1 open-minded, conscientious · 2 socialising, club life · 3 enjoying life, challenge · 4 team player, international orientation |
| Traditionalist (also called Security Seeker) | 1 compliant, modest · 2 volunteering, club life · 3 family, tradition, healthy living, security · 4 organising | 1 open-minded · 2 being in nature, watching TV · 3 power, challenge · 4 research & engineering |
| Innovator | 1 extravert, friendly, open-minded · 2 societal engagement · 3 challenge, societal well-being · 4 international orientation, managing, research, team player | 1 sensitive · 2 watching TV, computers · 3 family, tradition, security, comfort · 4 nothing very low |
| All-rounder | 1 open-minded, extravert, conscientious · 2 socialising, societal engagement, music · 3 challenge, societal well-being, environment, health · 4 management, team player, international, research & engineering | 1 self-important, compliant · 2 watching TV, being in nature · 3 security & comfort · 4 nothing very low |
| Status Seeker | 1 extravert, self-important · 2 being in nature · 3 power, money · 4 managing, leading | 1 modest · 2 watching TV, computers · 3 societal engagement · 4 research |
"""  # noqa: E501

# Characteristics issue #3 lists that the table does not use in a signature.
ISSUE_EXTRA_TERMS = {(2, "sport"), (4, "networking"), (4, "data analysis")}

# Element numbers of the table -> elements of the instrument.
ELEMENTS = {1: {"personality"}, 2: {"interests"}, 3: {"values", "goals"}, 4: {"competencies"}}
COMPOUND_TERMS = {"research & engineering", "management & leadership"}
SYNONYMS = {
    "managing": "management & leadership",
    "management": "management & leadership",
    "leading": "management & leadership",
    "research": "research & engineering",
    "international": "international orientation",
}


def _table_rows(text: str) -> list[str]:
    rows = [line.strip() for line in text.splitlines() if line.strip().startswith("|")]
    return [row for row in rows if not row.startswith("| profile") and not row.startswith("| ---")]


def _spec_rows() -> list[str]:
    if not SPEC.exists():
        return _table_rows(SPEC_TABLE_COPY)
    text = SPEC.read_text(encoding="utf-8")
    section = text.split("## The six profiles", 1)[1].split("\n## ", 1)[0]
    table = section.split("Facts the report gives", 1)[0]
    return _table_rows(table)


def signature_terms(rows: list[str]) -> set[tuple[int, str]]:
    """(element number, canonical term) for every high or low term in the table."""
    terms: set[tuple[int, str]] = set()
    for row in rows:
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        for cell in cells[1:3]:
            for part in cell.split("·"):
                match = re.match(r"^\s*([1-4])\s+(.*?)\s*$", part)
                assert match, f"cannot read {part!r} in the profile table"
                element = int(match.group(1))
                for raw in match.group(2).split(","):
                    term = raw.strip()
                    if term == "nothing very low":
                        continue
                    pieces = [term] if term in COMPOUND_TERMS else term.split(" & ")
                    for piece in pieces:
                        terms.add((element, SYNONYMS.get(piece.strip(), piece.strip())))
    return terms


@pytest.fixture(scope="module")
def compass() -> Instrument:
    return get_instrument("career_compass", 1, include_drafts=True)


def _facet_for(compass: Instrument, element: int, term: str) -> str:
    matches = [
        facet.id
        for facet in compass.facets
        if term in facet.covers and facet.element in ELEMENTS[element]
    ]
    assert len(matches) == 1, f"term {term!r} (element {element}) is covered by {matches}"
    return matches[0]


def test_the_table_copy_in_this_test_matches_the_spec() -> None:
    if not SPEC.exists():
        pytest.skip(f"{SPEC} is not available")
    assert signature_terms(_spec_rows()) == signature_terms(_table_rows(SPEC_TABLE_COPY))


def test_the_table_yields_the_characteristics_the_issue_names() -> None:
    terms = {term for _, term in signature_terms(_spec_rows())}
    for expected in (
        "introvert",
        "extravert",
        "self-important",
        "club life",
        "societal engagement",
        "healthy living",
        "enjoying life",
        "international orientation",
        "organising",
    ):
        assert expected in terms


def test_every_signature_term_has_a_facet_with_at_least_three_items(compass: Instrument) -> None:
    counts = Counter(item.scale for item in compass.items)
    for element, term in sorted(signature_terms(_spec_rows())):
        facet = _facet_for(compass, element, term)
        assert counts[facet] >= 3, (
            f"{facet} ({term}) is in a profile signature but has {counts[facet]} items"
        )


def test_every_other_characteristic_of_the_issue_has_at_least_two_items(
    compass: Instrument,
) -> None:
    counts = Counter(item.scale for item in compass.items)
    for element, term in sorted(ISSUE_EXTRA_TERMS):
        facet = _facet_for(compass, element, term)
        assert counts[facet] >= 2, f"{facet} ({term}) has {counts[facet]} items"


def test_societal_engagement_is_both_an_interest_and_a_value(compass: Instrument) -> None:
    assert _facet_for(compass, 2, "societal engagement") != _facet_for(
        compass, 3, "societal engagement"
    )


def test_introvert_and_extravert_are_the_two_poles_of_one_facet(compass: Instrument) -> None:
    facet = compass.scale(_facet_for(compass, 1, "introvert"))
    assert facet.covers == {"extravert": "high", "introvert": "low"}


def test_every_facet_is_a_spec_or_issue_characteristic(compass: Instrument) -> None:
    known = {term for _, term in signature_terms(_spec_rows()) | ISSUE_EXTRA_TERMS}
    for facet in compass.facets:
        assert facet.covers, f"facet {facet.id} covers no characteristic"
        assert set(facet.covers) <= known, f"{facet.id} covers unknown terms {facet.covers}"


def test_content_items_number_about_100_to_120_on_a_seven_point_scale(compass: Instrument) -> None:
    facet_ids = {facet.id for facet in compass.facets}
    content = [item for item in compass.items if item.scale in facet_ids]
    assert 100 <= len(content) <= 120
    for item in content:
        assert item.response_scale is not None
        assert (item.response_scale.min, item.response_scale.max) == (1, 7)


def test_the_five_elements_each_have_facets(compass: Instrument) -> None:
    elements = Counter(facet.element for facet in compass.facets)
    assert set(elements) == {"interests", "values", "goals", "competencies", "personality"}


def test_every_facet_has_at_least_two_items(compass: Instrument) -> None:
    counts = Counter(item.scale for item in compass.items)
    for facet in compass.facets:
        assert counts[facet.id] >= 2, facet.id


def test_some_items_are_reverse_keyed(compass: Instrument) -> None:
    reversed_items = {item.id for item in compass.items if item.reverse}
    assert {
        "extraversion_2",
        "extraversion_4",
        "conscientiousness_4",
        "career_clarity_3",
    } <= reversed_items
    for item_id in reversed_items:
        # A reversed item must not be alone: its scale needs forward items too.
        scale = compass.item(item_id).scale
        assert scale is not None
        assert any(not other.reverse for other in compass.scale_items(scale))


@pytest.mark.parametrize(
    ("scale", "n_items"),
    [
        ("identification", 6),
        ("career_clarity", 3),
        ("career_commitment", 2),
        ("career_exploration", 3),
        ("gender_stigma", 4),
    ],
)
def test_the_career_scales_have_the_numbers_of_items_of_the_report(
    compass: Instrument, scale: str, n_items: int
) -> None:
    assert len(compass.scale_items(scale)) == n_items
    assert compass.scale(scale).kind == "scale"


def test_the_title_is_asked_first(compass: Instrument) -> None:
    first = compass.items[0]
    assert first.id == "title"
    assert [option.value for option in first.options] == [
        "engineer",
        "technicus",
        "onderzoeker",
        "other",
    ]
    assert compass.personalisation.title_item == "title"
    assert compass.items[1].id == "title_other"


def test_identification_items_use_the_title(compass: Instrument) -> None:
    for item in compass.scale_items("identification"):
        assert re.search(r"\{[Aa]?_?[Tt]itle\}", item.text.nl), item.id
        assert re.search(r"\{[Aa]?_?[Tt]itle\}", item.text.en), item.id


def test_gender_stigma_items_have_woman_man_and_neutral_wording(compass: Instrument) -> None:
    for item in compass.scale_items("gender_stigma"):
        assert set(item.text_by_gender) == {"woman", "man"}
        assert "vrouw" in item.text_by_gender["woman"].nl
        assert "woman" in item.text_by_gender["woman"].en
        assert " man" in item.text_by_gender["man"].nl
        assert " man" in item.text_by_gender["man"].en
        for language, text in item.text.items():
            for word in ("vrouw", "woman", " man "):
                assert word not in text, (item.id, language)
            assert "gender" in text


def test_gender_has_non_binary_and_rather_not_say(compass: Instrument) -> None:
    values = [option.value for option in compass.item("gender").options]
    assert {"woman", "man", "non_binary", "rather_not_say"} <= set(values)


def test_every_background_question_of_the_spec_is_asked(compass: Instrument) -> None:
    ids = {item.id for item in compass.items}
    assert {
        "job_category",
        "technical_background_required",
        "organisation_type",
        "sector_self_report",
        "future_sector",
        "education_level",
        "institution_type",
        "study_cluster",
        "graduation_year",
        "age",
        "gender",
        "nationality",
        "contract_hours",
        "contract_type",
        "income_band",
        "work_country",
        "work_province",
        "gender_ratio",
    } <= ids


def test_job_categories_split_into_technical_and_non_technical_as_the_spec_says(
    compass: Instrument,
) -> None:
    groups = {option.value: option.group for option in compass.item("job_category").options}
    assert groups == {
        "engineer": "technical",
        "researcher": "technical",
        "programmer_ict": "technical",
        "consultant": "non_technical",
        "project_leader": "non_technical",
        "manager": "non_technical",
        "teacher": "non_technical",
        "other": None,
    }


def test_organisation_types_carry_the_sector_codes_of_the_spec(compass: Instrument) -> None:
    options = compass.item("organisation_type").options
    codes = {option.value: option.code for option in options if option.code is not None}
    assert sorted(codes.values()) == [0, 1, 2, 3]
    technical = {option.code for option in options if option.group == "technical_sector"}
    assert technical == {0, 1}


def test_contract_types_and_income_bands_follow_the_report(compass: Instrument) -> None:
    contracts = {option.value for option in compass.item("contract_type").options}
    assert {
        "permanent",
        "temporary",
        "seconded",
        "own_company",
        "freelancer",
        "phd_candidate",
        "on_call",
    } <= contracts
    bands = [option.value for option in compass.item("income_band").options]
    assert bands[0] == "under_2500"
    assert bands[-1] == "rather_not_say"
    assert len(bands) == 8


def test_conditions_where_they_make_sense(compass: Instrument) -> None:
    assert compass.item("title_other").show_if is not None
    assert compass.item("work_province").show_if is not None
    assert compass.section("work").show_if is not None


def test_sections_fit_a_phone_screen_and_add_up_to_about_twenty_minutes(
    compass: Instrument,
) -> None:
    assert 9 <= len(compass.sections) <= 12
    for section in compass.sections:
        assert len(section.items) <= 21, section.id
        assert section.minutes > 0
    assert 18 <= compass.total_minutes <= 22


def test_the_department_question_is_not_in_the_file(compass: Instrument) -> None:
    assert "department" not in {item.id for item in compass.items}
    assert compass.department_section == "work"


def _texts(node: Any, path: str = "") -> list[tuple[str, Any]]:
    """Every mapping in the raw YAML that looks like a translated text."""
    found: list[tuple[str, Any]] = []
    if isinstance(node, dict):
        if "nl" in node or "en" in node:
            found.append((path, node))
        else:
            for key, value in node.items():
                found.extend(_texts(value, f"{path}.{key}"))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            label = value.get("id", index) if isinstance(value, dict) else index
            found.extend(_texts(value, f"{path}[{label}]"))
    return found


def test_every_text_in_the_file_is_in_dutch_and_english() -> None:
    raw = yaml.safe_load(COMPASS_FILE.read_text(encoding="utf-8"))
    texts = _texts(raw)
    assert len(texts) > 300
    for path, text in texts:
        assert set(text) == {"nl", "en"}, path
        assert all(isinstance(value, str) and value.strip() for value in text.values()), path


def test_item_texts_are_translated_not_copied(compass: Instrument) -> None:
    # Words that are the same in both languages; anything else identical is a forgotten translation.
    same_in_both = {"comfort_1"}
    identical = {item.id for item in compass.items if item.text.nl == item.text.en}
    assert identical <= same_in_both


def test_stems_make_full_sentences_for_screen_readers(compass: Instrument) -> None:
    for section in compass.sections:
        if section.stem is None:
            continue
        for language, stem in section.stem.items():
            assert stem.count("…") == 1, (section.id, language)


def test_adapted_ipip_items_are_attributed_in_the_docs(compass: Instrument) -> None:
    docs = Path(__file__).resolve().parents[2] / "docs" / "instruments.md"
    text = docs.read_text(encoding="utf-8")
    sources = [item for item in compass.items if item.source]
    assert sources
    for item in sources:
        assert item.id in text, (
            f"{item.id} adapts an IPIP item but docs/instruments.md does not list it"
        )
    assert "ipip.ori.org" in text


def test_the_facet_table_in_the_docs_matches_the_instrument(compass: Instrument) -> None:
    docs = Path(__file__).resolve().parents[2] / "docs" / "instruments.md"
    rows = re.findall(
        r"^\| (\S+) \| `(\w+)` \| [^|]+ \| (\d+) \| (\d+) \|", docs.read_text("utf-8"), re.M
    )
    documented = {scale: (int(n), int(rev)) for first, scale, n, rev in rows if not first.isdigit()}
    actual = {
        scale.id: (
            len(compass.scale_items(scale.id)),
            sum(item.reverse for item in compass.scale_items(scale.id)),
        )
        for scale in compass.scales
    }
    assert documented == actual
