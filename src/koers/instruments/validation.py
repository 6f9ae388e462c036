"""Validation of a parsed questionnaire definition: the rules behind every InstrumentError.

``_Builder`` walks the parsed YAML once, checks types, keys, translations and
every cross-reference (scales, response scales, conditions, personalisation),
and builds the frozen dataclasses of ``koers.instruments.definition``. It fails
on the first problem with an :class:`InstrumentError` naming the file and the
item. Use it through ``koers.instruments.loader``.

The rules are split by feature: this module holds the definition's structure
(top-level keys, response scales, elements, scales and sections);
``koers.instruments.validation_items`` the items, options, conditions and
personalisation; ``koers.instruments.validation_fields`` the field-level checks
(types, identifiers, translated texts, placeholders, unique ids).
"""

from __future__ import annotations

import math
from typing import Any

from koers.instruments.definition import (
    Element,
    Instrument,
    Item,
    ResponseScale,
    Scale,
    Section,
    Text,
)
from koers.instruments.validation_fields import describe, is_int
from koers.instruments.validation_items import ItemChecks

__all__ = ["RESERVED_ITEM_IDS", "build_instrument"]

#: Item ids a definition may not use: the campaign department question is added at
#: runtime (``koers.instruments.department``) and is never part of a file.
RESERVED_ITEM_IDS = frozenset({"department"})

_STEM_GAP = "…"

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


def build_instrument(data: object, *, source: str, content_hash: str) -> Instrument:
    """Validate parsed YAML and build the :class:`Instrument` (``content_hash`` is stored)."""
    return _Builder(source).build(data, content_hash)


class _Builder(ItemChecks):
    """Builds an :class:`Instrument` from parsed YAML, failing on the first problem."""

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
                    f"labels must map scale points to texts, got {describe(labels_data)}", where
                )
            labels: dict[int, Text] = {}
            for point, label in labels_data.items():
                if not is_int(point) or not low <= point <= high:
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
                self.fail(f"kind must be 'facet' or 'scale', got {describe(kind)}", where)
            element = data.get("element")
            if kind == "facet":
                if not isinstance(element, str) or element not in element_ids:
                    self.fail(
                        "a facet needs an element from 'elements' "
                        f"({', '.join(sorted(element_ids))}), got {describe(element)}",
                        where,
                    )
            elif element is not None:
                self.fail(
                    "only a facet belongs to an element; remove 'element' or use kind: facet", where
                )
            covers_data = data.get("covers", {})
            if not isinstance(covers_data, dict):
                self.fail(
                    f"covers must map terms to high or low, got {describe(covers_data)}", where
                )
            covers: dict[str, Any] = {}
            for term, direction in covers_data.items():
                term = self.string(term, "a covers term", where)
                if direction not in ("high", "low"):
                    self.fail(
                        f"covers term {term!r} must be high or low, got {describe(direction)}",
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
                self.fail(f"minutes must be a number above 0, got {describe(minutes)}", where)
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
