"""What a respondent sees: title insertion, gender wording, conditions, progress."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from koers.instruments import (
    AnswerError,
    Answers,
    Instrument,
    RenderedSection,
    RespondentContext,
    fill_placeholders,
    first_unanswered,
    get_instrument,
    item_text,
    next_section,
    previous_section,
    progress,
    render_section,
    respondent_context,
    unanswered_items,
    visible_items,
    visible_sections,
    with_department_question,
)

WORKING = {"work_status": "yes"}


@pytest.fixture(scope="module")
def compass() -> Instrument:
    return get_instrument("career_compass", 1, include_drafts=True)


def _career_text(compass: Instrument, answers: Answers, language: str, index: int) -> str:
    return render_section(compass, "career", answers, language=language).items[index].text


@pytest.mark.parametrize(
    ("title", "nl", "en"),
    [
        ("engineer", "Ik ben er trots op engineer te zijn.", "I am proud to be an engineer."),
        ("technicus", "Ik ben er trots op technicus te zijn.", "I am proud to be a technician."),
        (
            "onderzoeker",
            "Ik ben er trots op onderzoeker te zijn.",
            "I am proud to be a researcher.",
        ),
    ],
)
def test_the_chosen_title_is_inserted_in_the_identification_items(
    compass: Instrument, title: str, nl: str, en: str
) -> None:
    answers = {**WORKING, "title": title}
    assert _career_text(compass, answers, "nl", 1) == nl
    assert _career_text(compass, answers, "en", 1) == en


def test_a_title_at_the_start_of_a_sentence_gets_a_capital(compass: Instrument) -> None:
    answers = {"title": "technicus"}
    assert _career_text(compass, answers, "nl", 0).startswith("Technicus zijn is een belangrijk")
    assert _career_text(compass, answers, "en", 0).startswith("Being a technician is")


def test_an_own_title_is_inserted_as_typed_but_mid_sentence_in_lower_case(
    compass: Instrument,
) -> None:
    answers = {"title": "other", "title_other": "  Productontwikkelaar "}
    assert (
        _career_text(compass, answers, "nl", 1) == "Ik ben er trots op productontwikkelaar te zijn."
    )
    assert _career_text(compass, answers, "nl", 0).startswith("Productontwikkelaar zijn")


def test_an_own_title_keeps_acronyms_and_is_never_interpreted(compass: Instrument) -> None:
    answers = {"title": "other", "title_other": "ICT'er {Title} <b>"}
    text = _career_text(compass, answers, "en", 1)
    assert text == "I am proud to be an ICT'er {Title} <b>."


def test_an_own_title_is_ignored_when_a_listed_title_is_chosen(compass: Instrument) -> None:
    answers = {"title": "engineer", "title_other": "astronaut"}
    assert "engineer" in _career_text(compass, answers, "nl", 1)


def test_without_a_title_the_fallback_is_used(compass: Instrument) -> None:
    assert _career_text(compass, {}, "nl", 1) == "Ik ben er trots op professional te zijn."
    assert _career_text(compass, {"title": "other"}, "en", 1) == "I am proud to be a professional."


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("engineer", "an engineer"),
        ("technician", "a technician"),
        ("UX designer", "a UX designer"),
        ("IT consultant", "an IT consultant"),
        ("user researcher", "a user researcher"),
        ("honours student", "an honours student"),
        ("data scientist", "a data scientist"),
    ],
)
def test_english_articles_follow_the_sound_of_the_title(title: str, expected: str) -> None:
    assert fill_placeholders("{a_title}", title=title, language="en") == expected


def test_dutch_articles_are_always_een() -> None:
    assert fill_placeholders("{A_title}.", title="engineer", language="nl") == "Een engineer."


@pytest.mark.parametrize(
    ("gender", "nl_word", "en_word"),
    [("woman", "een vrouw", "a woman"), ("man", "een man", "a man")],
)
def test_stigma_items_are_worded_for_women_and_men(
    compass: Instrument, gender: str, nl_word: str, en_word: str
) -> None:
    answers = {**WORKING, "gender": gender}
    for language, word in (("nl", nl_word), ("en", en_word)):
        page = render_section(compass, "stigma", answers, language=language)
        assert len(page.items) == 4
        assert word in page.items[0].text


@pytest.mark.parametrize("gender", ["non_binary", "other", "rather_not_say", None])
def test_stigma_items_are_neutral_for_other_genders(
    compass: Instrument, gender: str | None
) -> None:
    answers = {**WORKING, "gender": gender}
    for language in ("nl", "en"):
        for item in render_section(compass, "stigma", answers, language=language).items:
            assert "gender" in item.text
            assert "vrouw" not in item.text
            assert "woman" not in item.text


def test_the_context_reads_title_and_gender_from_the_answers(compass: Instrument) -> None:
    context = respondent_context(
        compass, {"title": "onderzoeker", "gender": "woman"}, language="en"
    )
    assert context == RespondentContext(language="en", title="researcher", gender="woman")
    stigma = compass.item("gender_stigma_3")
    assert item_text(compass, stigma, context) == (
        "I feel that, as a woman, I have to work harder to be taken seriously."
    )


def test_items_under_a_stem_get_a_full_sentence_as_label(compass: Instrument) -> None:
    page = render_section(compass, "interests_1", {}, language="nl")
    assert page.stem == "Ik vind … leuk"
    assert page.items[0].text == "tv kijken"
    assert page.items[0].label == "Ik vind tv kijken leuk"
    english = render_section(compass, "personality_1", {}, language="en")
    assert english.items[0].label == "I am extraverted"
    assert english.items[0].points[0] == (1, "not at all")
    assert english.items[0].points[-1] == (7, "very much")


def test_the_own_title_field_shows_only_after_choosing_something_else(compass: Instrument) -> None:
    shown = [item.id for item in visible_items(compass, {}, "start")]
    assert shown == ["title", "work_status"]
    shown = [item.id for item in visible_items(compass, {"title": "other"}, "start")]
    assert shown == ["title", "title_other", "work_status"]


def test_the_work_section_is_skipped_without_paid_work(compass: Instrument) -> None:
    student = [section.id for section in visible_sections(compass, {"work_status": "student"})]
    assert "work" not in student
    assert "stigma" not in student
    assert "work" in [s.id for s in visible_sections(compass, {"work_status": "recent"})]
    assert next_section(compass, "career", {"work_status": "student"}).id == "about_you"  # type: ignore[union-attr]
    assert previous_section(compass, "about_you", {"work_status": "student"}).id == "career"  # type: ignore[union-attr]
    assert next_section(compass, "stigma", WORKING) is None


def test_the_province_is_asked_only_for_work_in_the_netherlands(compass: Instrument) -> None:
    def shown(country: str) -> bool:
        answers = {**WORKING, "work_country": country}
        return "work_province" in [i.id for i in visible_items(compass, answers, "work")]

    assert shown("nl")
    assert not shown("de")


def test_progress_counts_visible_sections_and_minutes_left(compass: Instrument) -> None:
    start = progress(compass, "start", WORKING)
    assert (start.number, start.n_sections) == (1, 12)
    assert start.minutes_left == 20  # 19.5 rounded up
    student = progress(compass, "career", {"work_status": "student"})
    assert (student.number, student.n_sections) == (9, 10)
    assert student.minutes_left == 3  # career 2 + about you 1
    last = progress(compass, "stigma", WORKING)
    assert (last.number, last.minutes_left) == (12, 1)


def test_skipped_items_are_listed_and_resume_lands_on_the_first(compass: Instrument) -> None:
    answers: dict[str, int | str | None] = {"title": "engineer", "work_status": "yes", "tv_1": 3}
    assert first_unanswered(compass, answers).id == "socialising_1"  # type: ignore[union-attr]
    skipped = [item.id for item in unanswered_items(compass, answers)]
    assert "title_other" not in skipped  # hidden, so not skipped
    assert "tv_1" not in skipped
    assert "socialising_1" in skipped
    everything = {item.id: 1 for item in compass.items}
    assert first_unanswered(compass, everything) is None


def test_answers_to_hidden_items_do_not_count(compass: Instrument) -> None:
    answers = {"work_status": "student", "work_country": "nl", "job_category": "engineer"}
    assert "work_province" not in [i.id for i in visible_items(compass, answers)]


def test_a_campaign_adds_its_optional_department_question(compass: Instrument) -> None:
    view = with_department_question(compass, [("rd", "R&D"), ("sales", "Verkoop")])
    page = render_section(view, "work", WORKING, language="en")
    department = page.items[0]
    assert department.id == "department"
    assert department.optional
    assert department.options == (("rd", "R&D"), ("sales", "Verkoop"))
    assert view.content_hash == compass.content_hash
    assert (view.key, view.version) == (compass.key, compass.version)
    assert "department" not in {item.id for item in compass.items}
    assert "department" not in [item.id for item in unanswered_items(view, WORKING)]


@pytest.mark.parametrize(
    "departments",
    [[], [("rd", "R&D"), ("rd", "Research")], [("", "Leeg")], [("rd", "")]],
)
def test_a_bad_department_list_is_refused(
    compass: Instrument, departments: list[tuple[str, str]]
) -> None:
    with pytest.raises(ValueError, match="department"):
        with_department_question(compass, departments)


def test_answers_are_checked_against_their_item(compass: Instrument) -> None:
    assert compass.item("tv_1").clean_answer("7") == 7
    assert compass.item("age").clean_answer(34) == 34
    assert compass.item("title").clean_answer("technicus") == "technicus"
    assert compass.item("title_other").clean_answer("  data   scientist ") == "data scientist"
    for item_id, value in [
        ("tv_1", 8),
        ("tv_1", True),
        ("tv_1", "x"),
        ("age", 120),
        ("title", "pilot"),
    ]:
        with pytest.raises(AnswerError):
            compass.item(item_id).clean_answer(value)
    with pytest.raises(AnswerError):
        compass.item("title_other").clean_answer("x" * 61)


def test_the_usage_example_in_the_docs_runs() -> None:
    docs = Path(__file__).resolve().parents[2] / "docs" / "instruments.md"
    match = re.search(r"```python\n(.*?)```", docs.read_text(encoding="utf-8"), re.S)
    assert match is not None
    namespace: dict[str, object] = {}
    exec(match.group(1), namespace)  # our own documentation
    page = namespace["page"]
    assert isinstance(page, RenderedSection)
    assert page.items[1].text == "Ik ben er trots op technicus te zijn."
