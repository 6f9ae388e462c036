"""Validation rules for items, options, conditions (``show_if``) and personalisation.

:class:`ItemChecks` builds each :class:`Item` (with its response scale, options or
number range), parses ``show_if`` conditions and the ``personalisation`` block, and
checks the cross-references between them: conditions may only use earlier answers,
and personalised texts must come after the items they draw on. The top-level
builder in ``koers.instruments.validation`` uses it.
"""

from __future__ import annotations

from typing import Any, Literal

from koers.instruments.definition import (
    ANSWER_TYPES,
    PLACEHOLDER_RE,
    Condition,
    Item,
    Option,
    Personalisation,
    ResponseScale,
    Section,
)
from koers.instruments.validation_fields import FieldChecks, describe, is_int

__all__ = ["ItemChecks"]

_MAX_CONDITION_DEPTH = 8

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


class ItemChecks(FieldChecks):
    """Item-level rules: items, options, ``show_if`` conditions and personalisation."""

    def response_scale_ref(
        self,
        value: object,
        by_id: dict[str, ResponseScale],
        where: str,
        item: str | None,
    ) -> ResponseScale:
        if not isinstance(value, str) or value not in by_id:
            known = ", ".join(sorted(by_id)) or "none defined"
            self.fail(f"unknown response scale {describe(value)} (known: {known})", where, item)
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
            self.fail(f"an item must be a mapping, got {describe(value)}", where)
        item_id = self.identifier(value.get("id"), "item id", where)
        where = f"item {item_id!r}"
        item_type = value.get("type", "scale")
        if item_type not in ANSWER_TYPES:
            self.fail(
                f"type must be one of {', '.join(ANSWER_TYPES)}, got {describe(item_type)}",
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
                    "text_by_gender must map gender answers to texts, got " + describe(variants),
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
                "show_if must be a mapping like {item: x, equals: y}, got " + describe(value),
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
            if not (isinstance(raw_value, str) or is_int(raw_value)):
                self.fail(
                    f"show_if values must be option values or whole numbers, got "
                    f"{describe(raw_value)}",
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
                if not is_int(value):
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
