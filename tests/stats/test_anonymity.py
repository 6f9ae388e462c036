"""k-anonymity of research files: seeded simulated campaigns, checked from the outside."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from koers.stats.anonymity import QuasiIdentifier, is_k_anonymous, k_anonymise

K = 5
QUASI = [
    QuasiIdentifier("gender", "category"),
    QuasiIdentifier("age", "number"),
    QuasiIdentifier("department", "category"),
    QuasiIdentifier("income_band", "category"),
    QuasiIdentifier("province", "category"),
    QuasiIdentifier("nationality", "category"),
]


def _campaign(rng: np.random.Generator, n: int) -> pd.DataFrame:
    """Skewed like a technical employer: mostly men, one big department, few non-Dutch."""

    def skewed(m: int) -> np.ndarray:
        p = rng.dirichlet(np.full(m, 0.6))
        return rng.choice(np.arange(1, m + 1), n, p=p).astype(float)

    frame = pd.DataFrame(
        {
            "gender": rng.choice([1.0, 2.0, 3.0, 4.0], n, p=[0.25, 0.68, 0.04, 0.03]),
            "age": np.clip(rng.normal(38, 11, n).round(), 16, 70),
            "department": skewed(int(rng.integers(2, 8))),
            "income_band": skewed(7),
            "province": skewed(12),
            "nationality": rng.choice([1.0, 2.0, 3.0], n, p=[0.85, 0.05, 0.10]),
            "score": rng.normal(4, 1, n),  # a content column: never touched
        }
    )
    for column in ("gender", "age", "income_band"):  # "rather not say" and skipped questions
        frame.loc[rng.random(n) < 0.04, column] = np.nan
    return frame


def _coarsest(values: pd.Series, kind: str) -> pd.Series:
    """The coarsest form that still says something, computed independently: a number split
    at its median, a category as its most frequent value versus the rest."""
    if kind == "number":
        cut = values.median()
        low = values <= cut
        if low.sum() == values.notna().sum():
            low = values < cut
        return low.where(values.notna())
    top = values.value_counts(dropna=False).index[0]
    return values.isna() if pd.isna(top) else values == top


@pytest.mark.parametrize("seed", range(40))
def test_random_campaigns_come_out_k_anonymous_with_as_much_detail_as_possible(
    seed: int,
) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(10, 301))
    frame = _campaign(rng, n)
    result = k_anonymise(frame, QUASI, K)
    out = result.data
    assert len(out) == n
    assert list(out.index) == list(frame.index)
    # 1. Every combination of the quasi-identifiers in the output holds ≥ k rows.
    sizes = out.groupby(list(out.columns), dropna=False).size() if out.shape[1] else []
    assert all(size >= K for size in sizes)
    # 2. Nothing dropped that its coarsest form could have kept.
    for column in result.dropped:
        kind = next(q.kind for q in QUASI if q.column == column)
        two_groups = _coarsest(frame[column], kind)
        if two_groups.nunique(dropna=False) < 2:
            continue  # one value only: there is nothing to keep
        trial = out.assign(**{column: two_groups})
        assert not is_k_anonymous(trial, K), f"seed {seed}: {column} dropped needlessly"
    # 3. A kept column is never coarser than the data: codes only merge, never split.
    for column in out.columns:
        pairs = pd.DataFrame({"raw": frame[column], "out": out[column]}).dropna(subset=["raw"])
        assert not pairs.drop_duplicates()["raw"].duplicated().any(), column


def test_merging_small_categories_is_preferred_to_dropping_the_column() -> None:
    """30 people: 14 women, 14 men, 2 non-binary. Merging keeps gender; dropping is not needed.

    (The 2 alone would be a group under k, so the smallest other category joins them.)"""
    gender = [1.0] * 14 + [2.0] * 14 + [3.0] * 2
    frame = pd.DataFrame({"gender": gender})
    result = k_anonymise(frame, [QuasiIdentifier("gender", "category", {3.0: "non-binary"})], K)
    assert result.dropped == []
    assert sorted(result.data["gender"].value_counts().tolist()) == [14, 14 + 2]
    assert result.rungs["gender"].step == "merged"
    assert result.rungs["gender"].merged[0] == "non-binary"


def test_ages_become_bands_before_anything_is_dropped() -> None:
    ages = [23, 24, 26, 27, 28, 31, 33, 34, 36, 38, 41, 43, 45, 46, 48, 52, 54, 55, 57, 59]
    result = k_anonymise(pd.DataFrame({"age": ages}), [QuasiIdentifier("age", "number")], K)
    rung = result.rungs["age"]
    assert rung.step == "bands of 5"  # the finest bands that work (small ones merged)
    assert result.data["age"].value_counts().min() >= K
    for label in rung.labels.values():
        # labels name the band's bounds, never the youngest or oldest person in it
        low, high = (int(x) for x in label.split("–"))
        assert low % 5 == 0
        assert (high + 1) % 5 == 0


def test_the_attack_of_the_review_no_row_is_unique_on_department_gender_and_age() -> None:
    rng = np.random.default_rng(30)
    frame = pd.DataFrame(
        {
            "department": rng.choice([1.0, 2.0, 3.0], 30),
            "gender": rng.choice([1.0, 2.0], 30, p=[0.3, 0.7]),
            "age": rng.integers(22, 64, 30).astype(float),
        }
    )
    before = frame.groupby(["department", "gender", "age"]).size()
    assert (before == 1).sum() >= 20  # as the review found: most rows unique
    quasi = [
        QuasiIdentifier("gender", "category"),
        QuasiIdentifier("age", "number"),
        QuasiIdentifier("department", "category"),
    ]
    out = k_anonymise(frame, quasi, K).data
    assert out.shape[1] >= 1  # something is kept
    assert out.groupby(list(out.columns), dropna=False).size().min() >= K


def test_fewer_than_k_rows_are_refused() -> None:
    with pytest.raises(ValueError, match="refuse the export"):
        k_anonymise(pd.DataFrame({"age": [30.0, 31.0]}), [QuasiIdentifier("age", "number")], K)


def test_same_partition_counts_pairs_as_sorting_rows_did() -> None:
    """The hashed pair count (a third of the export's time saved) against the definition:
    as many distinct (a, b) pairs as groups in a and in b, missing values a group too."""
    from koers.stats.anonymity import _factorise, _same_partition

    rng = np.random.default_rng(5)
    seen = set()
    for n in (0, 1, 7, 200):
        for _ in range(60):
            a = pd.Series(rng.integers(0, 4, n).astype(float))
            a[rng.random(n) < 0.1] = np.nan
            relabel = {v: rng.integers(10, 20) for v in range(4)}
            b = a.map(lambda v, relabel=relabel: relabel.get(v, v) if v == v else np.nan)
            if rng.random() < 0.5:
                b = pd.Series(rng.integers(0, 3, n).astype(float))
            fa, fb = _factorise(a), _factorise(b)
            pairs = np.unique(np.stack([fa, fb]), axis=1).shape[1]
            expected = bool(pairs == len(np.unique(fa)) == len(np.unique(fb)))
            assert _same_partition(a, b) is expected
            seen.add(expected)
    assert seen == {True, False}
