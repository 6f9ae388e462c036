"""Field-level checks shared by every rule in ``koers.instruments.validation``.

:class:`FieldChecks` holds the primitives the validator builds on: mappings with
known keys, lists, identifiers, whole numbers, booleans, non-empty strings,
translated texts (one per language, with placeholder checks) and unique ids. Each
fails with an :class:`InstrumentError` naming the file and the item.
"""

from __future__ import annotations

from typing import Any, NoReturn, cast

from koers.instruments.definition import (
    LANGUAGES,
    PLACEHOLDER_RE,
    PLACEHOLDERS,
    InstrumentError,
    Text,
)

__all__ = ["FieldChecks", "describe", "is_int"]

_ID_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_")


def describe(value: object) -> str:
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


def is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


class FieldChecks:
    """Primitive checks on parsed YAML values, failing on the first problem."""

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
            self.fail(f"{what} must be a mapping, got {describe(value)}", where, item)
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
            self.fail(f"{what} must be a list, got {describe(value)}", where, item)
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
                f"with a letter), got {describe(value)}",
                where,
                item,
            )
        return value

    def integer(self, value: object, what: str, where: str | None, item: str | None = None) -> int:
        if not is_int(value):
            self.fail(f"{what} must be a whole number, got {describe(value)}", where, item)
        return cast(int, value)

    def boolean(self, value: object, what: str, where: str | None, item: str | None = None) -> bool:
        if not isinstance(value, bool):
            self.fail(f"{what} must be true or false, got {describe(value)}", where, item)
        return value

    def string(self, value: object, what: str, where: str | None, item: str | None = None) -> str:
        if not isinstance(value, str) or not value.strip():
            self.fail(f"{what} must be a non-empty text, got {describe(value)}", where, item)
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
                f"got {describe(value)}",
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
                    f"got {describe(text)}",
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
