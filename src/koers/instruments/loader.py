"""Load a questionnaire definition (YAML) into a validated :class:`Instrument`.

Every problem raises :class:`InstrumentError` naming the file and, where it has
one, the item (or section, scale, response scale) and what to do. Nothing else
escapes :func:`load_instrument`, :func:`parse_instrument` or
:func:`instrument_from_data`, whatever the file holds
(``tests/instruments/test_loader_fuzz.py`` checks this with hypothesis). The
rules themselves live in ``koers.instruments.validation``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Hashable
from pathlib import Path
from typing import Any

import yaml

from koers.instruments.definition import Instrument, InstrumentError
from koers.instruments.validation import RESERVED_ITEM_IDS, build_instrument

__all__ = [
    "RESERVED_ITEM_IDS",
    "canonical_json",
    "content_hash",
    "instrument_from_data",
    "load_instrument",
    "parse_instrument",
]

# The libyaml parser when PyYAML was built with it (several times faster), else pure Python.
_BaseSafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _StrictLoader(_BaseSafeLoader):  # type: ignore[misc,valid-type]
    """SafeLoader that refuses duplicate mapping keys (PyYAML silently keeps the last)."""


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    loader.flatten_mapping(node)
    mapping: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, Hashable):
            raise yaml.constructor.ConstructorError(
                None, None, "found an unhashable key", key_node.start_mark
            )
        if key in mapping:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        mapping[key] = loader.construct_object(value_node, deep=True)
    return mapping


_StrictLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _construct_mapping,
)


def _canonical(value: object) -> object:
    if isinstance(value, dict):
        return {str(key): _canonical(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_canonical(item) for item in value]
    return value


def canonical_json(data: object) -> str:
    """The canonical form of a parsed definition: sorted-key compact JSON.

    Formatting, comments and key order in the YAML do not change it; any change
    of content does.
    """
    return json.dumps(
        _canonical(data), sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
    )


def content_hash(data: object) -> str:
    """``sha256:<hex>`` of :func:`canonical_json`; what ``published.txt`` records."""
    return "sha256:" + hashlib.sha256(canonical_json(data).encode("utf-8")).hexdigest()


def load_instrument(path: str | Path) -> Instrument:
    """Read, parse and validate one definition file.

    Raises
    ------
    InstrumentError
        If the file cannot be read, is not YAML, or is not a valid definition.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InstrumentError(path, f"not UTF-8 text: {exc}") from exc
    except OSError as exc:
        raise InstrumentError(path, f"cannot read the file: {exc.strerror or exc}") from exc
    return parse_instrument(text, source=path)


def parse_instrument(text: str, *, source: str | Path = "<string>") -> Instrument:
    """Parse and validate a definition given as YAML text; ``source`` names it in errors."""
    try:
        data = yaml.load(text, Loader=_StrictLoader)  # safe: a SafeLoader subclass
    except yaml.YAMLError as exc:
        raise InstrumentError(source, f"not valid YAML: {exc}") from exc
    except RecursionError as exc:
        raise InstrumentError(source, "not valid YAML: nested too deeply") from exc
    return instrument_from_data(data, source=source)


def instrument_from_data(data: object, *, source: str | Path = "<data>") -> Instrument:
    """Validate an already parsed definition (what ``yaml.safe_load`` returns)."""
    # Validate first: the hash is only meaningful (and only computed) for a valid definition.
    instrument = build_instrument(data, source=str(source), content_hash="")
    return dataclasses.replace(instrument, content_hash=content_hash(data))
