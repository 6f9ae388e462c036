"""The definition loader: shipped files load, and every mistake gets a clear error."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

import pytest
import yaml

from koers.instruments import (
    InstrumentError,
    load_instrument,
    load_shipped_instruments,
    parse_instrument,
)
from koers.instruments.registry import instrument_paths

Mutation = Callable[[dict[str, Any]], None]


def _t(nl: str, en: str | None = None) -> dict[str, str]:
    return {"nl": nl, "en": en if en is not None else nl + " (en)"}


MINIMAL: dict[str, Any] = {
    "key": "demo",
    "version": 1,
    "title": _t("Demo"),
    "description": _t("Een kleine vragenlijst", "A small questionnaire"),
    "personalisation": {
        "title_item": "title",
        "title_fallback": _t("professional", "professional"),
        "gender_item": "gender",
    },
    "department_section": "second",
    "response_scales": [
        {
            "id": "agree7",
            "min": 1,
            "max": 7,
            "labels": {1: _t("oneens", "disagree"), 7: _t("eens", "agree")},
        }
    ],
    "elements": [{"id": "interests", "label": _t("Interesses", "Interests")}],
    "scales": [
        {"id": "fun", "kind": "facet", "element": "interests", "label": _t("Plezier", "Fun")},
        {"id": "pride", "kind": "scale", "label": _t("Trots", "Pride")},
    ],
    "sections": [
        {
            "id": "first",
            "title": _t("Eerst", "First"),
            "intro": _t("Twee vragen.", "Two questions."),
            "minutes": 1,
            "items": [
                {
                    "id": "title",
                    "type": "choice",
                    "text": _t("Welke titel?", "Which title?"),
                    "options": [
                        {
                            "value": "engineer",
                            "label": _t("Engineer", "Engineer"),
                            "inline": _t("engineer", "engineer"),
                        },
                        {"value": "other", "label": _t("Anders", "Other")},
                    ],
                },
                {
                    "id": "gender",
                    "type": "choice",
                    "text": _t("Gender?", "Gender?"),
                    "options": [
                        {"value": "woman", "label": _t("Vrouw", "Woman")},
                        {"value": "man", "label": _t("Man", "Man")},
                        {"value": "other", "label": _t("Anders", "Other")},
                    ],
                },
            ],
        },
        {
            "id": "second",
            "title": _t("Daarna", "Then"),
            "intro": _t("Stellingen.", "Statements."),
            "minutes": 2,
            "stem": _t("Ik vind … leuk", "I enjoy …"),
            "response_scale": "agree7",
            "items": [
                {"id": "fun_1", "scale": "fun", "text": _t("puzzelen", "puzzles")},
                {"id": "fun_2", "scale": "fun", "reverse": True, "text": _t("wachten", "waiting")},
                {
                    "id": "pride_1",
                    "scale": "pride",
                    "text": _t("Ik ben trots op {title} zijn.", "I am proud to be {a_title}."),
                    "text_by_gender": {
                        "woman": _t("Als vrouw ben ik trots.", "As a woman, proud.")
                    },
                },
                {
                    "id": "extra",
                    "type": "number",
                    "min": 0,
                    "max": 10,
                    "text": _t("Hoeveel?", "How many?"),
                    "show_if": {"item": "title", "equals": "engineer"},
                },
            ],
        },
    ],
}


@pytest.fixture
def minimal() -> dict[str, Any]:
    """A deep copy of a small valid definition, free to break."""
    return copy.deepcopy(MINIMAL)


@pytest.fixture
def write_definition(tmp_path: Path) -> Callable[..., Path]:
    """Write a definition (dict or YAML text) to ``tmp_path/<name>`` and return the path."""

    def write(data: dict[str, Any] | str, name: str = "bad.yaml") -> Path:
        path = tmp_path / name
        text = data if isinstance(data, str) else yaml.safe_dump(data, allow_unicode=True)
        path.write_text(text, encoding="utf-8")
        return path

    return write


def _item(data: dict[str, Any], item_id: str) -> dict[str, Any]:
    for section in data["sections"]:
        for item in section["items"]:
            if item["id"] == item_id:
                return cast(dict[str, Any], item)
    raise KeyError(item_id)


def _section(data: dict[str, Any], section_id: str) -> dict[str, Any]:
    return cast(dict[str, Any], next(s for s in data["sections"] if s["id"] == section_id))


def test_every_shipped_instrument_loads() -> None:
    paths = instrument_paths()
    assert paths, "no instrument files found under src/koers/instruments/data"
    instruments = load_shipped_instruments()
    assert len(instruments) == len(paths)
    for instrument in instruments.values():
        assert instrument.items
        assert instrument.content_hash.startswith("sha256:")


def test_the_minimal_fixture_is_valid(minimal: dict[str, Any], write_definition: Any) -> None:
    instrument = load_instrument(write_definition(minimal, "ok.yaml"))
    assert [item.id for item in instrument.items] == [
        "title",
        "gender",
        "fun_1",
        "fun_2",
        "pride_1",
        "extra",
    ]
    assert instrument.item("fun_2").reverse
    assert instrument.item("fun_1").response_scale is not None


def _set(path: list[Any], value: Any) -> Mutation:
    def mutate(data: dict[str, Any]) -> None:
        target: Any = data
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = value

    return mutate


def _item_set(item_id: str, key: str, value: Any) -> Mutation:
    return lambda data: _item(data, item_id).__setitem__(key, value)


def _item_del(item_id: str, key: str) -> Mutation:
    return lambda data: _item(data, item_id).pop(key)


def _move_pride_to_first_section(data: dict[str, Any]) -> None:
    pride = _item(data, "pride_1")
    _section(data, "second")["items"].remove(pride)
    pride["type"] = "scale"
    pride["response_scale"] = "agree7"
    _section(data, "first")["items"].append(pride)


def _add_empty_scale(data: dict[str, Any]) -> None:
    data["scales"].append({"id": "lonely", "kind": "scale", "label": {"nl": "x", "en": "x"}})


def _mixed_response_scales(data: dict[str, Any]) -> None:
    data["response_scales"].append(
        {
            "id": "five",
            "min": 1,
            "max": 5,
            "labels": {1: {"nl": "a", "en": "a"}, 5: {"nl": "b", "en": "b"}},
        }
    )
    _item(data, "fun_2")["response_scale"] = "five"


# (mutation, words the message must contain, the item id it must name or None)
CASES: dict[str, tuple[Mutation, str, str | None]] = {
    "unknown scale": (_item_set("fun_1", "scale", "fnu"), "unknown scale 'fnu'", "fun_1"),
    "missing translation": (
        _item_set("fun_1", "text", {"nl": "puzzelen"}),
        "missing translation: text has no 'en' text",
        "fun_1",
    ),
    "empty translation": (
        _item_set("fun_1", "text", {"nl": "puzzelen", "en": "  "}),
        "missing translation",
        "fun_1",
    ),
    "missing translation in an option": (
        lambda d: _item(d, "gender")["options"][0].__setitem__("label", {"nl": "Vrouw"}),
        "missing translation: label of option 'woman' has no 'en' text",
        "gender",
    ),
    "unknown language": (
        _item_set("fun_1", "text", {"nl": "a", "en": "b", "de": "c"}),
        "unknown language 'de'",
        "fun_1",
    ),
    "duplicate id": (_item_set("fun_2", "id", "fun_1"), "duplicate id 'fun_1'", "fun_1"),
    "unknown condition item": (
        _item_set("extra", "show_if", {"item": "titel", "equals": "engineer"}),
        "show_if refers to unknown item 'titel'",
        "extra",
    ),
    "condition on a later item": (
        _item_set("fun_1", "show_if", {"item": "extra", "equals": 3}),
        "comes later",
        "fun_1",
    ),
    "condition on itself": (
        _item_set("extra", "show_if", {"item": "extra", "equals": 3}),
        "the item itself",
        "extra",
    ),
    "condition value that is no option": (
        _item_set("extra", "show_if", {"item": "title", "equals": "astronaut"}),
        "'astronaut' is not an option of 'title'",
        "extra",
    ),
    "condition with two operators": (
        _item_set("extra", "show_if", {"item": "title", "equals": "other", "in": ["other"]}),
        "exactly one of equals, in, not_in",
        "extra",
    ),
    "reverse key on a non-scale item": (
        _item_set("extra", "reverse", True),
        "reverse keying is only for scale items, and this is a number item",
        "extra",
    ),
    "reverse key on an unscored item": (
        lambda d: _item(d, "fun_2").pop("scale"),
        "reverse: true only makes sense on an item that is scored",
        "fun_2",
    ),
    "misspelt key": (_item_set("fun_1", "revrse", True), "unknown key 'revrse'", "fun_1"),
    "unknown item response scale": (
        _item_set("fun_1", "response_scale", "agree5"),
        "unknown response scale",
        "fun_1",
    ),
    "unknown item type": (_item_set("fun_1", "type", "slider"), "type must be one of", "fun_1"),
    "unknown placeholder": (
        _item_set("pride_1", "text", {"nl": "Ik ben {titel}.", "en": "I am {a_title}."}),
        "unknown placeholder {titel}",
        "pride_1",
    ),
    "unmatched brace": (
        _item_set("pride_1", "text", {"nl": "Ik ben {title.", "en": "I am {a_title}."}),
        "unmatched brace",
        "pride_1",
    ),
    "title placeholder before the title is known": (
        _move_pride_to_first_section,
        "later section than 'title'",
        "pride_1",
    ),
    "gender variant that is no gender option": (
        _item_set("pride_1", "text_by_gender", {"vrouw": {"nl": "a", "en": "b"}}),
        "text_by_gender key 'vrouw' is not an option of 'gender'",
        "pride_1",
    ),
    "reserved department id": (_item_set("extra", "id", "department"), "reserved", "department"),
    "choice with one option": (
        lambda d: _item(d, "gender")["options"].__delitem__(slice(1, None)),
        "at least two options",
        "gender",
    ),
    "duplicate option": (
        lambda d: _item(d, "gender")["options"][1].__setitem__("value", "woman"),
        "duplicate option value 'woman'",
        "gender",
    ),
    "number item min above max": (_item_set("extra", "max", -1), "min < max", "extra"),
    "number item without min": (
        _item_del("extra", "min"),
        "missing the required key 'min'",
        "extra",
    ),
    "text without item id": (_item_del("fun_1", "id"), "item id must be an identifier", None),
    "mixed response scales in one scale": (
        _mixed_response_scales,
        "must use one response scale",
        "fun_2",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_an_invalid_item_gets_an_error_naming_file_and_item(
    case: str, minimal: dict[str, Any], write_definition: Callable[..., Path]
) -> None:
    mutate, words, item_id = CASES[case]
    mutate(minimal)
    path = write_definition(minimal, "broken_demo.yaml")
    with pytest.raises(InstrumentError) as caught:
        load_instrument(path)
    message = str(caught.value)
    assert "broken_demo.yaml" in message
    assert words in message
    if item_id is not None:
        assert f"item '{item_id}'" in message
        assert caught.value.item == item_id


FILE_CASES: dict[str, tuple[Mutation, str, str | None]] = {
    "scale without items": (_add_empty_scale, "no item scores on this scale", "scale 'lonely'"),
    "facet with unknown element": (
        _set(["scales", 0, "element"], "hobbies"),
        "a facet needs an element",
        "scale 'fun'",
    ),
    "stem without a gap": (
        _set(["sections", 1, "stem"], {"nl": "Ik vind leuk", "en": "I enjoy …"}),
        "exactly one '…'",
        "section 'second'",
    ),
    "section condition on its own item": (
        _set(["sections", 1, "show_if"], {"item": "fun_1", "equals": 3}),
        "earlier sections",
        "section 'second'",
    ),
    "unknown section response scale": (
        _set(["sections", 1, "response_scale"], "agree5"),
        "unknown response scale 'agree5'",
        "section 'second'",
    ),
    "section without minutes": (
        lambda d: d["sections"][0].pop("minutes"),
        "missing the required key 'minutes'",
        "sections",
    ),
    "zero minutes": (_set(["sections", 0, "minutes"], 0), "minutes must be a number above 0", None),
    "boolean version": (_set(["version"], True), "version must be a whole number", None),
    "version zero": (_set(["version"], 0), "version must be 1 or higher", None),
    "key with capitals": (_set(["key"], "Demo"), "key must be an identifier", None),
    "response scale without end label": (
        lambda d: d["response_scales"][0]["labels"].pop(7),
        "7 has no label",
        "response scale 'agree7'",
    ),
    "unknown department section": (
        _set(["department_section"], "third"),
        "department_section 'third' is not a section id",
        None,
    ),
    "unknown personalisation item": (
        _set(["personalisation", "gender_item"], "sex"),
        "gender_item 'sex' is not an item id",
        "personalisation",
    ),
    "duplicate section": (_set(["sections", 1, "id"], "first"), "duplicate id 'first'", None),
    "unknown top-level key": (_set(["sectoins"], []), "unknown key 'sectoins'", None),
}


@pytest.mark.parametrize("case", sorted(FILE_CASES))
def test_an_invalid_definition_gets_an_error_naming_file_and_place(
    case: str, minimal: dict[str, Any], write_definition: Callable[..., Path]
) -> None:
    mutate, words, where = FILE_CASES[case]
    mutate(minimal)
    path = write_definition(minimal, "broken_demo.yaml")
    with pytest.raises(InstrumentError) as caught:
        load_instrument(path)
    message = str(caught.value)
    assert "broken_demo.yaml" in message
    assert words in message
    if where is not None:
        assert where in message


def test_invalid_yaml_is_reported_with_the_file(write_definition: Callable[..., Path]) -> None:
    path = write_definition("key: demo\nversion: [1\n", "syntax.yaml")
    with pytest.raises(InstrumentError, match=r"syntax\.yaml: not valid YAML"):
        load_instrument(path)


def test_a_repeated_yaml_key_is_an_error_not_silently_overwritten(
    write_definition: Callable[..., Path],
) -> None:
    path = write_definition("key: demo\nkey: other\n", "twice.yaml")
    with pytest.raises(InstrumentError, match="duplicate key 'key'"):
        load_instrument(path)


def test_an_unquoted_yes_gets_a_hint_to_quote_it(
    minimal: dict[str, Any], write_definition: Callable[..., Path]
) -> None:
    _item(minimal, "gender")["options"][0]["value"] = True  # what YAML makes of `value: yes`
    with pytest.raises(InstrumentError, match="quote it") as caught:
        load_instrument(write_definition(minimal))
    assert caught.value.item == "gender"


def test_a_missing_file_is_an_instrument_error(tmp_path: Path) -> None:
    with pytest.raises(InstrumentError, match="cannot read the file"):
        load_instrument(tmp_path / "nowhere.yaml")


def test_a_file_that_is_not_utf8_is_an_instrument_error(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("key: caf\xe9".encode("latin-1"))
    with pytest.raises(InstrumentError, match="not UTF-8"):
        load_instrument(path)


def test_parse_instrument_names_its_source_in_errors() -> None:
    with pytest.raises(InstrumentError, match="^inline-test: the definition must be a mapping"):
        parse_instrument("- just\n- a list\n", source="inline-test")


def test_formatting_does_not_change_the_content_hash(
    minimal: dict[str, Any], write_definition: Callable[..., Path]
) -> None:
    first = load_instrument(write_definition(minimal, "a.yaml"))
    path = write_definition(minimal, "b.yaml")
    path.write_text("# a comment\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    second = load_instrument(path)
    assert first.content_hash == second.content_hash
    _item(minimal, "fun_1")["text"]["nl"] = "puzzelen!"
    third = load_instrument(write_definition(minimal, "c.yaml"))
    assert third.content_hash != first.content_hash
