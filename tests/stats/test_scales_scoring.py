"""Scale scores: means with reverse keys and the minimum-answered rule."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from koers.stats.scales import (
    ScaleKey,
    keyed_items,
    reverse_keyed,
    score_scales,
    scoring_key_fingerprint,
)

NAN = math.nan


def test_reverse_keying_mirrors_the_scale() -> None:
    answers = pd.Series([1, 2, 4, 6, 7, None])
    assert reverse_keyed(answers, response_min=1, response_max=7).tolist()[:5] == [7, 6, 4, 2, 1]
    assert math.isnan(reverse_keyed(answers, response_min=1, response_max=7).iloc[5])
    assert reverse_keyed(pd.Series([0, 4]), response_min=0, response_max=4).tolist() == [4, 0]


def test_a_scale_score_is_the_mean_after_reverse_keying() -> None:
    responses = pd.DataFrame({"a": [7, 2, 4], "b": [6, 3, 4], "c": [1, 6, 4]})
    key = {"s": ScaleKey(items=("a", "b", "c"), reverse_items=frozenset({"c"}))}
    # Row 0: 7, 6, 8-1=7 -> 20/3; row 1: 2, 3, 2 -> 7/3; row 2: 4, 4, 4.
    assert score_scales(responses, key)["s"].tolist() == pytest.approx([20 / 3, 7 / 3, 4.0])


@pytest.mark.parametrize(
    ("n_items", "n_required"),
    [(1, 1), (2, 1), (3, 2), (4, 2), (5, 3), (6, 3)],
)
def test_at_least_half_of_the_items_must_be_answered(n_items: int, n_required: int) -> None:
    items = tuple(f"i{j}" for j in range(n_items))
    key = ScaleKey(items=items)
    assert key.n_required == n_required
    rows = []
    for n_answered in range(n_items + 1):
        rows.append([5.0] * n_answered + [NAN] * (n_items - n_answered))
    scores = score_scales(pd.DataFrame(rows, columns=list(items)), {"s": key})["s"]
    for n_answered, score in enumerate(scores):
        if n_answered >= n_required:
            assert score == 5.0
        else:
            assert math.isnan(score)


def test_the_mean_uses_only_answered_items() -> None:
    responses = pd.DataFrame({"a": [2.0], "b": [NAN], "c": [6.0], "d": [NAN]})
    key = {"s": ScaleKey(items=("a", "b", "c", "d"), reverse_items=frozenset({"c"}))}
    assert score_scales(responses, key)["s"].iloc[0] == pytest.approx((2 + 2) / 2)


def test_the_required_share_can_be_set_per_scale() -> None:
    responses = pd.DataFrame({"a": [3.0], "b": [NAN]})
    strict = ScaleKey(items=("a", "b"), min_answered_share=1.0)
    assert math.isnan(score_scales(responses, {"s": strict})["s"].iloc[0])


def test_scores_keep_the_respondent_index_and_the_key_order() -> None:
    responses = pd.DataFrame({"a": [1, 7], "b": [7, 1]}, index=["r1", "r2"])
    key = {"z": ScaleKey(items=("a",)), "y": ScaleKey(items=("b",))}
    scores = score_scales(responses, key)
    assert list(scores.columns) == ["z", "y"]
    assert list(scores.index) == ["r1", "r2"]


def test_none_and_object_columns_are_read_as_missing_and_numbers() -> None:
    responses = pd.DataFrame({"a": [1, None, "3"], "b": [3, 5, None]}, dtype=object)
    scores = score_scales(responses, {"s": ScaleKey(items=("a", "b"))})["s"]
    assert scores.tolist() == [2.0, 5.0, 3.0]


def test_an_answer_outside_the_scale_is_an_error_naming_the_item() -> None:
    responses = pd.DataFrame({"a": [1, 8]})
    with pytest.raises(ValueError, match=r"item 'a' has value 8 outside the response scale 1\.\.7"):
        score_scales(responses, {"s": ScaleKey(items=("a",))})


def test_a_text_answer_is_an_error_naming_the_item() -> None:
    with pytest.raises(ValueError, match="item 'a' holds a value that is not a number"):
        score_scales(pd.DataFrame({"a": ["veel"]}), {"s": ScaleKey(items=("a",))})


def test_a_missing_item_column_is_an_error_that_says_how_to_fix_it() -> None:
    with pytest.raises(ValueError, match=r"no column for items \['b'\].*reindex"):
        keyed_items(pd.DataFrame({"a": [1]}), ScaleKey(items=("a", "b")))


@pytest.mark.parametrize(
    ("kwargs", "problem"),
    [
        ({"items": ()}, "at least one item"),
        ({"items": ("a", "a")}, "duplicate items"),
        ({"items": ("a",), "reverse_items": frozenset({"b"})}, "not in the scale"),
        ({"items": ("a",), "response_min": 7, "response_max": 1}, "smaller than"),
        ({"items": ("a",), "min_answered_share": 0.0}, "min_answered_share"),
    ],
)
def test_an_inconsistent_scale_key_is_refused(kwargs: dict[str, object], problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        ScaleKey(**kwargs)  # type: ignore[arg-type]


def test_the_fingerprint_changes_with_a_rule_but_not_with_order() -> None:
    key = {"s": ScaleKey(items=("a", "b")), "t": ScaleKey(items=("c",))}
    same = {"t": ScaleKey(items=("c",)), "s": ScaleKey(items=("b", "a"))}
    reversed_b = {"s": ScaleKey(items=("a", "b"), reverse_items=frozenset({"b"})), "t": key["t"]}
    assert scoring_key_fingerprint(key) == scoring_key_fingerprint(same)
    assert scoring_key_fingerprint(key) != scoring_key_fingerprint(reversed_b)


answers = st.one_of(st.none(), st.integers(1, 7))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(answers, min_size=3, max_size=3), min_size=1, max_size=20))
def test_scores_match_a_plain_python_computation(rows: list[list[int | None]]) -> None:
    key = ScaleKey(items=("a", "b", "c"), reverse_items=frozenset({"b"}))
    frame = pd.DataFrame(rows, columns=["a", "b", "c"], dtype="float64")
    scores = score_scales(frame, {"s": key})["s"]
    for row, score in zip(rows, scores, strict=True):
        keyed = [
            8 - v if name == "b" else v for name, v in zip("abc", row, strict=True) if v is not None
        ]
        if len(keyed) >= 2:
            assert score == pytest.approx(sum(keyed) / len(keyed))
            assert 1 <= score <= 7
        else:
            assert np.isnan(score)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.integers(1, 7), min_size=1, max_size=30))
def test_reverse_keying_twice_gives_the_answers_back(values: list[int]) -> None:
    series = pd.Series(values, dtype="float64")
    twice = reverse_keyed(
        reverse_keyed(series, response_min=1, response_max=7), response_min=1, response_max=7
    )
    assert twice.tolist() == series.tolist()


def _pandas_reference(responses: pd.DataFrame, key: dict[str, ScaleKey]) -> pd.DataFrame:
    """The per-scale pandas computation score_scales made before its numpy path."""
    from koers.stats.scales import keyed_items

    scores = {}
    for scale_id, scale_key in key.items():
        items = keyed_items(responses, scale_key)
        mean = items.mean(axis=1, skipna=True)
        scores[scale_id] = mean.where(items.notna().sum(axis=1) >= scale_key.n_required)
    return pd.DataFrame(scores, index=responses.index, dtype="float64")


@pytest.mark.parametrize("integers", [True, False])
def test_the_numpy_path_equals_the_pandas_computation(integers: bool) -> None:
    import numpy as np

    rng = np.random.default_rng(5)
    items = [f"i{j}" for j in range(12)]
    values = rng.integers(1, 8, size=(500, 12)).astype(float)
    if not integers:
        values = rng.uniform(1, 7, size=(500, 12))
    values[rng.random((500, 12)) < 0.25] = np.nan
    responses = pd.DataFrame(values, columns=items, index=rng.permutation(500) + 1000)
    key = {
        "a": ScaleKey(items=tuple(items[:4]), reverse_items=frozenset({"i1"})),
        "b": ScaleKey(items=tuple(items[3:11]), reverse_items=frozenset({"i5", "i9"})),
        "c": ScaleKey(items=("i11",)),
    }
    got, expected = score_scales(responses, key), _pandas_reference(responses, key)
    assert list(got.columns) == ["a", "b", "c"]
    assert got.index.equals(expected.index)
    assert got.isna().equals(expected.isna())
    if integers:  # sums of whole numbers are exact: the same to the last bit
        assert got.equals(expected)
    else:
        np.testing.assert_allclose(got.to_numpy(), expected.to_numpy(), rtol=1e-14)
