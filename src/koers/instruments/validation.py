"""Validation of a parsed questionnaire definition: the rules behind every InstrumentError.

``_Builder`` walks the parsed YAML once, checks types, keys, translations and
every cross-reference (scales, response scales, conditions, personalisation),
and builds the frozen dataclasses of ``koers.instruments.definition``. It fails
on the first problem with an :class:`InstrumentError` naming the file and the
item. Use it through ``koers.instruments.loader``.
"""

from __future__ import annotations

import math
from typing import Any, Literal, NoReturn, cast

from koers.instruments.definition import (
    ANSWER_TYPES,
    LANGUAGES,
    PLACEHOLDER_RE,
    PLACEHOLDERS,
    Condition,
    Element,
    Instrument,
    InstrumentError,
    Item,
    Option,
    Personalisation,
    ResponseScale,
    Scale,
    Section,
    Text,
)

__all__ = ["RESERVED_ITEM_IDS", "build_instrument"]

#: Item ids a definition may not use: the campaign department question is added at
#: runtime (``koers.instruments.department``) and is never part of a file.
RESERVED_ITEM_IDS = frozenset({"department"})

_ID_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_")
_STEM_GAP = "…"
_MAX_CONDITION_DEPTH = 8

_TOP_KEYS = {
    "key": True,
    "version": True,
    "title": True,
    "description": True,
    "response_scales": False,
    "elements": False,
    "scales": False,
    "personalisation": False,
    "department_section": False,
    "sections": True,
}
_SECTION_KEYS = {
    "id": True,
    "title": True,
    "intro": True,
    "minutes": True,
    "items": True,
    "stem": False,
    "response_scale": False,
    "show_if": False,
}
_ITEM_COMMON_KEYS = {
    "id": True,
    "type": False,
    "text": True,
    "help": False,
    "show_if": False,
    "optional": False,
    "text_by_gender": False,
    "source": False,
}
_ITEM_TYPE_KEYS: dict[str, dict[str, bool]] = {
    "scale": {"scale": False, "reverse": False, "response_scale": False},
    "choice": {"options": True},
    "number": {"min": True, "max": True, "unit": False},
    "text": {"max_length": False},
}


def build_instrument(data: object, *, source: str, content_hash: str) -> Instrument:
    """Validate parsed YAML and build the :class:`Instrument` (``content_hash`` is stored)."""
    return _Builder(source).build(data, content_hash)


def _describe(value: object) -> str:
    if isinstance(value, bool):
        return f"{value!r} (YAML reads yes/no/on/off/true/false as a boolean: quote it)"
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return repr(value)[:80]
    return f"{type(value).__name__} {value!r}"[:80]


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


class _Builder:
    """Builds an :class:`Instrument` from parsed YAML, failing on the first problem."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, problem: str, where: str | None = None, item: str | None = None) -> NoReturn:
        raise InstrumentError(self.source, problem, where=where, item=item)

    # -- primitives -----------------------------------------------------------------

    def mapping(
        self,
        value: object,
        what: str,
        where: str | None,
        allowed: dict[str, bool],
        item: str | None = None,
    ) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.fail(f"{what} must be a mapping, got {_describe(value)}", where, item)
        for key in value:
            if not isinstance(key, str) or key not in allowed:
                known = ", ".join(sorted(allowed))
                self.fail(f"unknown key {key!r} in {what} (allowed: {known})", where, item)
        for key, required in allowed.items():
            if required and key not in value:
                self.fail(f"{what} is missing the required key {key!r}", where, item)
        return cast(dict[str, Any], value)

    def sequence(
        self, value: object, what: str, where: str | None, item: str | None = None
    ) -> list[Any]:
        if not isinstance(value, list):
            self.fail(f"{what} must be a list, got {_describe(value)}", where, item)
        return value

    def identifier(
        self, value: object, what: str, where: str | None, item: str | None = None
    ) -> str:
        if (
            not isinstance(value, str)
            or not value
            or not value[0].isalpha()
            or not set(value) <= _ID_CHARS
            or len(value) > 64
        ):
            self.fail(
                f"{what} must be an identifier (lowercase letters, digits and _, starting "
                f"with a letter), got {_describe(value)}",
                where,
                item,
            )
        return value

    def integer(self, value: object, what: str, where: str | None, item: str | None = None) -> int:
        if not _is_int(value):
            self.fail(f"{what} must be a whole number, got {_describe(value)}", where, item)
        return cast(int, value)

    def boolean(self, value: object, what: str, where: str | None, item: str | None = None) -> bool:
        if not isinstance(value, bool):
            self.fail(f"{what} must be true or false, got {_describe(value)}", where, item)
        return value

    def string(self, value: object, what: str, where: str | None, item: str | None = None) -> str:
        if not isinstance(value, str) or not value.strip():
            self.fail(f"{what} must be a non-empty text, got {_describe(value)}", where, item)
        return value

    def text(
        self,
        value: object,
        what: str,
        where: str | None,
        item: str | None = None,
        *,
        placeholders: bool = False,
    ) -> Text:
        if not isinstance(value, dict):
            self.fail(
                f"{what} must give the text per language ({', '.join(LANGUAGES)}), "
                f"got {_describe(value)}",
                where,
                item,
            )
        for language in value:
            if language not in LANGUAGES:
                self.fail(
                    f"{what} has unknown language {language!r} (use {', '.join(LANGUAGES)})",
                    where,
                    item,
                )
        texts: dict[str, str] = {}
        for language in LANGUAGES:
            if language not in value:
                self.fail(f"missing translation: {what} has no {language!r} text", where, item)
            text = value[language]
            if not isinstance(text, str) or not text.strip():
                self.fail(
                    f"missing translation: {what} in {language!r} must be a non-empty text, "
                    f"got {_describe(text)}",
                    where,
                    item,
                )
            self.check_placeholders(text, f"{what} ({language})", where, item, placeholders)
            texts[language] = text
        return Text(nl=texts["nl"], en=texts["en"])

    def check_placeholders(
        self, text: str, what: str, where: str | None, item: str | None, allowed: bool
    ) -> None:
        names = PLACEHOLDER_RE.findall(text)
        stray = PLACEHOLDER_RE.sub("", text)
        if "{" in stray or "}" in stray:
            self.fail(f"{what} has an unmatched brace: {text!r}", where, item)
        if names and not allowed:
            self.fail(f"{what} may not contain placeholders like {{{names[0]}}}", where, item)
        for name in names:
            if name not in PLACEHOLDERS:
                known = ", ".join("{" + p + "}" for p in sorted(PLACEHOLDERS))
                self.fail(
                    f"{what} has unknown placeholder {{{name}}} (known: {known})", where, item
                )

    def unique(self, ids: list[str], what: str) -> None:
        seen: set[str] = set()
        for id_ in ids:
            if id_ in seen:
                self.fail(
                    f"duplicate id {id_!r}: {what} ids must be unique",
                    f"{what} {id_!r}",
                    id_ if what == "item" else None,
                )
            seen.add(id_)

    # -- the definition ---------------------------------------------------------------

    def build(self, data: object, content_hash: str) -> Instrument:
        top = self.mapping(data, "the definition", None, _TOP_KEYS)
        key = self.identifier(top["key"], "key", None)
        version = self.integer(top["version"], "version", None)
        if version < 1:
            self.fail(f"version must be 1 or higher, got {version}")
        title = self.text(top["title"], "title", None)
        description = self.text(top["description"], "description", None)

        response_scales = self.response_scales(top.get("response_scales", []))
        elements = self.elements(top.get("elements", []))
        scales = self.scales(top.get("scales", []), {element.id for element in elements})
        personalisation_data = top.get("personalisation", {})
        sections = self.sections(top["sections"], response_scales)

        items = [item for section in sections for item in section.items]
        self.unique([item.id for item in items], "item")
        for item in items:
            if item.id in RESERVED_ITEM_IDS:
                self.fail(
                    f"the id {item.id!r} is reserved for the campaign department question, "
                    "which is added at runtime; choose another id",
                    f"item {item.id!r}",
                    item.id,
                )
        personalisation = self.personalisation(personalisation_data, items, sections)
        self.check_scales(scales, items)
        self.check_conditions(sections)
        self.check_personalised_texts(personalisation, sections)

        department_section = top.get("department_section")
        if department_section is not None:
            department_section = self.identifier(department_section, "department_section", None)
            if department_section not in {section.id for section in sections}:
                self.fail(f"department_section {department_section!r} is not a section id")

        return Instrument(
            key=key,
            version=version,
            title=title,
            description=description,
            response_scales={scale.id: scale for scale in response_scales},
            elements=tuple(elements),
            scales=tuple(scales),
            sections=tuple(sections),
            personalisation=personalisation,
            content_hash=content_hash,
            source=self.source,
            department_section=department_section,
        )

    def response_scales(self, value: object) -> list[ResponseScale]:
        result: list[ResponseScale] = []
        for entry in self.sequence(value, "response_scales", None):
            data = self.mapping(
                entry,
                "a response scale",
                "response_scales",
                {"id": True, "min": True, "max": True, "labels": True},
            )
            scale_id = self.identifier(data["id"], "response scale id", "response_scales")
            where = f"response scale {scale_id!r}"
            low = self.integer(data["min"], "min", where)
            high = self.integer(data["max"], "max", where)
            if not low < high or high - low > 100:
                self.fail(f"needs min < max (at most 101 points), got {low}..{high}", where)
            labels_data = data["labels"]
            if not isinstance(labels_data, dict):
                self.fail(
                    f"labels must map scale points to texts, got {_describe(labels_data)}", where
                )
            labels: dict[int, Text] = {}
            for point, label in labels_data.items():
                if not _is_int(point) or not low <= point <= high:
                    self.fail(f"label key {point!r} is not a point of {low}..{high}", where)
                labels[point] = self.text(label, f"label {point}", where)
            for end in (low, high):
                if end not in labels:
                    self.fail(f"labels must include both ends; {end} has no label", where)
            result.append(ResponseScale(id=scale_id, min=low, max=high, labels=labels))
        self.unique([scale.id for scale in result], "response scale")
        return result

    def elements(self, value: object) -> list[Element]:
        result: list[Element] = []
        for entry in self.sequence(value, "elements", None):
            data = self.mapping(entry, "an element", "elements", {"id": True, "label": True})
            element_id = self.identifier(data["id"], "element id", "elements")
            label = self.text(data["label"], "label", f"element {element_id!r}")
            result.append(Element(id=element_id, label=label))
        self.unique([element.id for element in result], "element")
        return result

    def scales(self, value: object, element_ids: set[str]) -> list[Scale]:
        allowed = {
            "id": True,
            "kind": True,
            "label": True,
            "element": False,
            "description": False,
            "covers": False,
        }
        result: list[Scale] = []
        for entry in self.sequence(value, "scales", None):
            data = self.mapping(entry, "a scale", "scales", allowed)
            scale_id = self.identifier(data["id"], "scale id", "scales")
            where = f"scale {scale_id!r}"
            kind = data["kind"]
            if kind not in ("facet", "scale"):
                self.fail(f"kind must be 'facet' or 'scale', got {_describe(kind)}", where)
            element = data.get("element")
            if kind == "facet":
                if not isinstance(element, str) or element not in element_ids:
                    self.fail(
                        "a facet needs an element from 'elements' "
                        f"({', '.join(sorted(element_ids))}), got {_describe(element)}",
                        where,
                    )
            elif element is not None:
                self.fail(
                    "only a facet belongs to an element; remove 'element' or use kind: facet", where
                )
            covers_data = data.get("covers", {})
            if not isinstance(covers_data, dict):
                self.fail(
                    f"covers must map terms to high or low, got {_describe(covers_data)}", where
                )
            covers: dict[str, Any] = {}
            for term, direction in covers_data.items():
                term = self.string(term, "a covers term", where)
                if direction not in ("high", "low"):
                    self.fail(
                        f"covers term {term!r} must be high or low, got {_describe(direction)}",
                        where,
                    )
                covers[term] = direction
            result.append(
                Scale(
                    id=scale_id,
                    kind=kind,
                    label=self.text(data["label"], "label", where),
                    element=element,
                    description=(
                        self.text(data["description"], "description", where)
                        if "description" in data
                        else None
                    ),
                    covers=covers,
                )
            )
        self.unique([scale.id for scale in result], "scale")
        return result

    def sections(self, value: object, response_scales: list[ResponseScale]) -> list[Section]:
        by_id = {scale.id: scale for scale in response_scales}
        entries = self.sequence(value, "sections", None)
        if not entries:
            self.fail("sections must list at least one section")
        result: list[Section] = []
        for index, entry in enumerate(entries):
            data = self.mapping(entry, f"section {index + 1}", "sections", _SECTION_KEYS)
            section_id = self.identifier(data["id"], "section id", f"section {index + 1}")
            where = f"section {section_id!r}"
            minutes = data["minutes"]
            if (
                not isinstance(minutes, int | float)
                or isinstance(minutes, bool)
                or not math.isfinite(minutes)
                or not 0 < minutes <= 120
            ):
                self.fail(f"minutes must be a number above 0, got {_describe(minutes)}", where)
            stem = None
            if "stem" in data:
                stem = self.text(data["stem"], "stem", where)
                for language, text in stem.items():
                    if text.count(_STEM_GAP) != 1:
                        self.fail(
                            f"stem ({language}) must contain exactly one {_STEM_GAP!r} where the "
                            f"item text goes, got {text!r}",
                            where,
                        )
            default_scale = None
            if "response_scale" in data:
                default_scale = self.response_scale_ref(data["response_scale"], by_id, where, None)
            raw_items = self.sequence(data["items"], "items", where)
            if not raw_items:
                self.fail("a section needs at least one item", where)
            items = tuple(
                self.item(raw, section_id, index, default_scale, by_id)
                for index, raw in enumerate(raw_items)
            )
            result.append(
                Section(
                    id=section_id,
                    title=self.text(data["title"], "title", where),
                    intro=self.text(data["intro"], "intro", where),
                    minutes=float(minutes),
                    items=items,
                    stem=stem,
                    show_if=(
                        self.condition(data["show_if"], where, None, 0)
                        if "show_if" in data
                        else None
                    ),
                )
            )
        self.unique([section.id for section in result], "section")
        return result

    def response_scale_ref(
        self,
        value: object,
        by_id: dict[str, ResponseScale],
        where: str,
        item: str | None,
    ) -> ResponseScale:
        if not isinstance(value, str) or value not in by_id:
            known = ", ".join(sorted(by_id)) or "none defined"
            self.fail(f"unknown response scale {_describe(value)} (known: {known})", where, item)
        return by_id[value]

    def item(
        self,
        value: object,
        section_id: str,
        index: int,
        default_scale: ResponseScale | None,
        response_scales: dict[str, ResponseScale],
    ) -> Item:
        where = f"section {section_id!r}, item {index + 1}"
        if not isinstance(value, dict):
            self.fail(f"an item must be a mapping, got {_describe(value)}", where)
        item_id = self.identifier(value.get("id"), "item id", where)
        where = f"item {item_id!r}"
        item_type = value.get("type", "scale")
        if item_type not in ANSWER_TYPES:
            self.fail(
                f"type must be one of {', '.join(ANSWER_TYPES)}, got {_describe(item_type)}",
                where,
                item_id,
            )
        if "reverse" in value and item_type != "scale":
            self.fail(
                f"reverse keying is only for scale items, and this is a {item_type} item",
                where,
                item_id,
            )
        allowed = {**_ITEM_COMMON_KEYS, **_ITEM_TYPE_KEYS[item_type]}
        data = self.mapping(value, f"a {item_type} item", where, allowed, item_id)

        fields: dict[str, Any] = {
            "id": item_id,
            "type": item_type,
            "section": section_id,
            "text": self.text(data["text"], "text", where, item_id, placeholders=True),
        }
        if "help" in data:
            fields["help"] = self.text(data["help"], "help", where, item_id, placeholders=True)
        if "optional" in data:
            fields["optional"] = self.boolean(data["optional"], "optional", where, item_id)
        if "source" in data:
            fields["source"] = self.string(data["source"], "source", where, item_id)
        if "show_if" in data:
            fields["show_if"] = self.condition(data["show_if"], where, item_id, 0)
        if "text_by_gender" in data:
            variants = data["text_by_gender"]
            if not isinstance(variants, dict) or not variants:
                self.fail(
                    "text_by_gender must map gender answers to texts, got " + _describe(variants),
                    where,
                    item_id,
                )
            fields["text_by_gender"] = {
                self.identifier(gender, "a text_by_gender key", where, item_id): self.text(
                    text, f"text_by_gender.{gender}", where, item_id, placeholders=True
                )
                for gender, text in variants.items()
            }

        if item_type == "scale":
            reverse = self.boolean(data.get("reverse", False), "reverse", where, item_id)
            scale = data.get("scale")
            if scale is not None:
                scale = self.identifier(scale, "scale", where, item_id)
            if reverse and scale is None:
                self.fail(
                    "reverse: true only makes sense on an item that is scored; add 'scale'",
                    where,
                    item_id,
                )
            if "response_scale" in data:
                response_scale = self.response_scale_ref(
                    data["response_scale"], response_scales, where, item_id
                )
            elif default_scale is not None:
                response_scale = default_scale
            else:
                self.fail(
                    "a scale item needs a response_scale (on the item or its section)",
                    where,
                    item_id,
                )
            fields.update(scale=scale, reverse=reverse, response_scale=response_scale)
        elif item_type == "choice":
            fields["options"] = self.options(data["options"], where, item_id)
        elif item_type == "number":
            low = self.integer(data["min"], "min", where, item_id)
            high = self.integer(data["max"], "max", where, item_id)
            if not low < high:
                self.fail(f"needs min < max, got {low}..{high}", where, item_id)
            fields.update(min=low, max=high)
            if "unit" in data:
                fields["unit"] = self.text(data["unit"], "unit", where, item_id)
        else:
            max_length = self.integer(data.get("max_length", 200), "max_length", where, item_id)
            if not 1 <= max_length <= 2000:
                self.fail(f"max_length must be 1..2000, got {max_length}", where, item_id)
            fields["max_length"] = max_length
        return Item(**fields)

    def options(self, value: object, where: str, item_id: str) -> tuple[Option, ...]:
        allowed = {"value": True, "label": True, "code": False, "group": False, "inline": False}
        result: list[Option] = []
        for entry in self.sequence(value, "options", where, item_id):
            data = self.mapping(entry, "an option", where, allowed, item_id)
            option_value = self.identifier(data["value"], "option value", where, item_id)
            result.append(
                Option(
                    value=option_value,
                    label=self.text(
                        data["label"], f"label of option {option_value!r}", where, item_id
                    ),
                    code=(
                        self.integer(data["code"], "code", where, item_id)
                        if "code" in data
                        else None
                    ),
                    group=(
                        self.identifier(data["group"], "group", where, item_id)
                        if "group" in data
                        else None
                    ),
                    inline=(
                        self.text(
                            data["inline"], f"inline of option {option_value!r}", where, item_id
                        )
                        if "inline" in data
                        else None
                    ),
                )
            )
        if len(result) < 2:
            self.fail("a choice item needs at least two options", where, item_id)
        values = [option.value for option in result]
        duplicates = sorted({v for v in values if values.count(v) > 1})
        if duplicates:
            self.fail(f"duplicate option value {duplicates[0]!r}", where, item_id)
        return tuple(result)

    def condition(self, value: object, where: str, item: str | None, depth: int) -> Condition:
        if depth > _MAX_CONDITION_DEPTH:
            self.fail("show_if is nested too deeply", where, item)
        if not isinstance(value, dict):
            self.fail(
                "show_if must be a mapping like {item: x, equals: y}, got " + _describe(value),
                where,
                item,
            )
        if "all" in value or "any" in value:
            combine: Literal["all", "any"] = "all" if "all" in value else "any"
            data = self.mapping(value, "show_if", where, {combine: True}, item)
            parts = self.sequence(data[combine], f"show_if.{combine}", where, item)
            if not parts:
                self.fail(f"show_if.{combine} needs at least one condition", where, item)
            return Condition(
                operator=combine,
                conditions=tuple(self.condition(part, where, item, depth + 1) for part in parts),
            )
        leaf_operators: tuple[Literal["equals", "in", "not_in"], ...] = ("equals", "in", "not_in")
        operators = [key for key in leaf_operators if key in value]
        if len(operators) != 1:
            self.fail(
                "show_if needs 'item' and exactly one of equals, in, not_in (or all/any)",
                where,
                item,
            )
        operator = operators[0]
        data = self.mapping(value, "show_if", where, {"item": True, operator: True}, item)
        target = self.identifier(data["item"], "show_if.item", where, item)
        raw = data[operator]
        if operator == "equals":
            raw = [raw]
        raw_values = self.sequence(raw, f"show_if.{operator}", where, item)
        if not raw_values:
            self.fail(f"show_if.{operator} needs at least one value", where, item)
        for raw_value in raw_values:
            if not (isinstance(raw_value, str) or _is_int(raw_value)):
                self.fail(
                    f"show_if values must be option values or whole numbers, got "
                    f"{_describe(raw_value)}",
                    where,
                    item,
                )
        return Condition(operator=operator, item=target, values=tuple(raw_values))

    def personalisation(
        self, value: object, items: list[Item], sections: list[Section]
    ) -> Personalisation:
        where = "personalisation"
        data = self.mapping(
            value,
            "personalisation",
            where,
            {
                "title_item": False,
                "title_text_item": False,
                "title_fallback": False,
                "gender_item": False,
            },
        )
        by_id = {item.id: item for item in items}
        expected_types = {
            "title_item": "choice",
            "title_text_item": "text",
            "gender_item": "choice",
        }
        refs: dict[str, str | None] = {}
        for key, expected in expected_types.items():
            ref = data.get(key)
            if ref is not None:
                ref = self.identifier(ref, key, where)
                if ref not in by_id:
                    self.fail(f"{key} {ref!r} is not an item id", where)
                if by_id[ref].type != expected:
                    self.fail(f"{key} {ref!r} must be a {expected} item", where)
            refs[key] = ref
        fallback = None
        if "title_fallback" in data:
            fallback = self.text(data["title_fallback"], "title_fallback", where)
        if refs["title_item"] is not None and fallback is None:
            self.fail("title_item needs a title_fallback for respondents without a title", where)
        if refs["title_text_item"] is not None and refs["title_item"] is None:
            self.fail("title_text_item needs a title_item", where)
        return Personalisation(
            title_item=refs["title_item"],
            title_text_item=refs["title_text_item"],
            title_fallback=fallback,
            gender_item=refs["gender_item"],
        )

    def check_scales(self, scales: list[Scale], items: list[Item]) -> None:
        by_id = {scale.id: scale for scale in scales}
        scored: dict[str, list[Item]] = {}
        for item in items:
            if item.scale is None:
                continue
            if item.scale not in by_id:
                known = ", ".join(sorted(by_id)) or "none defined"
                self.fail(
                    f"unknown scale {item.scale!r} (declare it under 'scales'; known: {known})",
                    f"item {item.id!r}",
                    item.id,
                )
            scored.setdefault(item.scale, []).append(item)
        for scale in scales:
            members = scored.get(scale.id, [])
            if not members:
                self.fail("no item scores on this scale", f"scale {scale.id!r}")
            first = members[0].response_scale
            for member in members[1:]:
                if member.response_scale != first:
                    self.fail(
                        f"all items of scale {scale.id!r} must use one response scale; "
                        f"{members[0].id!r} and {member.id!r} differ",
                        f"item {member.id!r}",
                        member.id,
                    )

    def check_conditions(self, sections: list[Section]) -> None:
        position: dict[str, tuple[int, int]] = {}
        items: dict[str, Item] = {}
        for section_index, section in enumerate(sections):
            for item_index, item in enumerate(section.items):
                position[item.id] = (section_index, item_index)
                items[item.id] = item
        for section_index, section in enumerate(sections):
            if section.show_if is not None:
                self.check_condition(
                    section.show_if,
                    (section_index, -1),
                    position,
                    items,
                    f"section {section.id!r}",
                    None,
                    earlier_section=True,
                )
            for item_index, item in enumerate(section.items):
                if item.show_if is not None:
                    self.check_condition(
                        item.show_if,
                        (section_index, item_index),
                        position,
                        items,
                        f"item {item.id!r}",
                        item.id,
                        earlier_section=False,
                    )

    def check_condition(
        self,
        condition: Condition,
        here: tuple[int, int],
        position: dict[str, tuple[int, int]],
        items: dict[str, Item],
        where: str,
        item: str | None,
        *,
        earlier_section: bool,
    ) -> None:
        for part in condition.conditions:
            self.check_condition(
                part, here, position, items, where, item, earlier_section=earlier_section
            )
        if condition.item is None:
            return
        target = condition.item
        if target not in position:
            self.fail(f"show_if refers to unknown item {target!r}", where, item)
        if target == item:
            self.fail("show_if refers to the item itself", where, item)
        if earlier_section and position[target][0] >= here[0]:
            self.fail(
                f"a section's show_if may only refer to items of earlier sections; "
                f"{target!r} is not",
                where,
                item,
            )
        if position[target] > here:
            self.fail(
                f"show_if refers to {target!r}, which comes later; a condition may only use "
                "earlier answers",
                where,
                item,
            )
        referenced = items[target]
        for value in condition.values:
            if referenced.type == "choice":
                if value not in {option.value for option in referenced.options}:
                    self.fail(
                        f"show_if value {value!r} is not an option of {target!r}", where, item
                    )
            elif referenced.type in ("scale", "number"):
                if not _is_int(value):
                    self.fail(
                        f"show_if on {target!r} needs whole numbers, got {value!r}", where, item
                    )
            else:
                self.fail(f"show_if cannot test the free-text item {target!r}", where, item)

    def check_personalised_texts(
        self, personalisation: Personalisation, sections: list[Section]
    ) -> None:
        section_of: dict[str, int] = {}
        items: dict[str, Item] = {}
        for index, section in enumerate(sections):
            for item in section.items:
                section_of[item.id] = index
                items[item.id] = item
        title_sources = [
            ref
            for ref in (personalisation.title_item, personalisation.title_text_item)
            if ref is not None
        ]
        for index, section in enumerate(sections):
            for item in section.items:
                where = f"item {item.id!r}"
                texts = [item.text, *item.text_by_gender.values()]
                if item.help is not None:
                    texts.append(item.help)
                uses_title = any(
                    PLACEHOLDER_RE.search(text) for value in texts for _, text in value.items()
                )
                if uses_title:
                    if not title_sources:
                        self.fail(
                            "uses a title placeholder but personalisation has no title_item",
                            where,
                            item.id,
                        )
                    for ref in title_sources:
                        if section_of[ref] >= index:
                            self.fail(
                                f"uses a title placeholder, so it must come in a later section "
                                f"than {ref!r}",
                                where,
                                item.id,
                            )
                if item.text_by_gender:
                    gender_item = personalisation.gender_item
                    if gender_item is None:
                        self.fail(
                            "has text_by_gender but personalisation has no gender_item",
                            where,
                            item.id,
                        )
                    if section_of[gender_item] >= index:
                        self.fail(
                            f"has text_by_gender, so it must come in a later section than "
                            f"{gender_item!r}",
                            where,
                            item.id,
                        )
                    options = {option.value for option in items[gender_item].options}
                    for gender in item.text_by_gender:
                        if gender not in options:
                            self.fail(
                                f"text_by_gender key {gender!r} is not an option of "
                                f"{gender_item!r}",
                                where,
                                item.id,
                            )
