"""Whatever a definition holds, the loader raises only its own InstrumentError."""

from __future__ import annotations

import copy
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from koers.instruments import InstrumentError, instrument_from_data, parse_instrument
from koers.instruments.registry import DATA_DIR

pytestmark = pytest.mark.slow  # a fuzzer: `make test-fast` leaves it out

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**12), max_value=10**12)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12)
    | st.sampled_from(
        [
            "nl",
            "en",
            "id",
            "scale",
            "choice",
            "yes",
            "…",
            "{title}",
            "{x}",
            "agree7",
            "tv_1",
            "woman",
        ]
    )
)
values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.text(max_size=8) | st.integers(-3, 9), children, max_size=4)
    ),
    max_leaves=12,
)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            found.extend(_paths(value, (*prefix, key)))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found.extend(_paths(value, (*prefix, index)))
    return found


def _only_instrument_errors(load: Any, *args: Any) -> None:
    """Call the loader; anything but success or an InstrumentError fails the test."""
    message = "fuzz.yaml: "
    try:
        load(*args, source="fuzz.yaml")
    except InstrumentError as exc:
        message = str(exc)
    assert message.startswith("fuzz.yaml: ")


@pytest.fixture(scope="module")
def compass_data() -> dict[str, Any]:
    text = (DATA_DIR / "career_compass" / "v1.yaml").read_text(encoding="utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=200))
def test_arbitrary_text_gives_only_instrument_errors(text: str) -> None:
    _only_instrument_errors(parse_instrument, text)


@settings(max_examples=150, deadline=None)
@given(values)
def test_arbitrary_yaml_values_give_only_instrument_errors(value: Any) -> None:
    _only_instrument_errors(parse_instrument, yaml.safe_dump(value, allow_unicode=True))


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_the_compass_with_parts_replaced_or_removed_gives_only_instrument_errors(
    compass_data: dict[str, Any], data: st.DataObject
) -> None:
    definition = copy.deepcopy(compass_data)
    for _ in range(data.draw(st.integers(1, 3), label="n_changes")):
        paths = _paths(definition)[1:]
        if not paths:
            break
        path = data.draw(st.sampled_from(paths), label="path")
        parent: Any = definition
        for step in path[:-1]:
            parent = parent[step]
        if data.draw(st.booleans(), label="delete") and isinstance(parent, dict):
            del parent[path[-1]]
        else:
            parent[path[-1]] = data.draw(values, label="value")
    _only_instrument_errors(instrument_from_data, definition)
