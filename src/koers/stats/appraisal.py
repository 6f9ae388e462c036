"""Appraisal parity: do women and men get the same ratings and the same kind of text?

Every comparison is women − men *within* a group that should be judged alike, estimated as
the coefficient of ``female`` in an OLS with a fixed effect per group
(:func:`koers.stats.regression.fit_ols`):

- the rating, within job level (``rating ~ female + C(level)``);
- the rating at equal text: also controlled for what the text says (result-tied sentences,
  achievement and doubt words), so a gap here is a rating that does not match the text;
- each text measure (length, personality words, achievement words, sentences tied to a
  result, doubt raisers), within the same reviewer and level
  (``measure ~ female + C(reviewer × level)``): a reviewer who writes shorter texts for
  everyone does not make a gap, only one who writes differently for women and men.

Only groups with at least one woman and one man take part (others say nothing about the
difference). A comparison is shown only when at least ``k`` women and ``k`` men take part
(DESIGN.md's group threshold); per-reviewer figures are never produced. The family of
comparisons of one round is tested together: a difference is called one only when Holm's
procedure rejects it at 5 % (``significance.holm``), so a round of pure noise shows no
difference in at least 95 % of rounds (``tests/stats/test_appraisal.py`` simulates it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from koers.stats.disclosure import MIN_K, suppressed_cells
from koers.stats.regression import Factor, fit_ols
from koers.stats.significance import holm

TEXT_MEASURES = ("words", "personality", "achievement", "result_share", "doubt")
# What "at equal text" controls for: what the text says, not how long it is.
TEXT_CONTROLS = ("result_share", "achievement", "doubt")


@dataclass(frozen=True)
class Comparison:
    measure: str  # rating, rating_at_equal_text, or a text measure
    within: str  # "level" or "reviewer_level"
    n_women: int  # taking part (in groups with both genders)
    n_men: int
    mean_women: float | None
    mean_men: float | None
    difference: float | None  # women − men within groups; None below the threshold
    ci_low: float | None
    ci_high: float | None
    p: float | None
    label: str  # too_little_data | difference | no_difference

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class LevelRow:
    level: str
    n_women: int | None  # None: suppressed
    n_men: int | None
    mean_women: float | None
    mean_men: float | None


@dataclass(frozen=True)
class AppraisalResult:
    comparisons: tuple[Comparison, ...]
    levels: tuple[LevelRow, ...]
    n_women: int
    n_men: int
    n_other: int  # other or unknown gender: counted, not compared
    has_texts: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "comparisons": [c.to_dict() for c in self.comparisons],
            "levels": [dict(r.__dict__) for r in self.levels],
            "n_women": self.n_women,
            "n_men": self.n_men,
            "n_other": self.n_other,
            "has_texts": self.has_texts,
        }


def _within(
    frame: pd.DataFrame, measure: str, groups: pd.Series, controls: Sequence[str], k: int
) -> tuple[Comparison, float | None]:
    """One comparison; the p-value is returned apart for the family's Holm step."""
    name = measure if not controls else "rating_at_equal_text"
    within = "level" if groups.name == "job_level" else "reviewer_level"
    both = frame["gender"].groupby(groups).transform("nunique") == 2
    data = frame[both & frame[measure].notna()]
    female = (data["gender"] == "female").to_numpy()
    n_w, n_m = int(female.sum()), int((~female).sum())
    if n_w < k or n_m < k:
        return Comparison(
            name, within, n_w, n_m, None, None, None, None, None, None, "too_little_data"
        ), None
    y = data[measure].to_numpy(dtype=float)
    numerics = {"female": female.astype(float)}
    numerics.update({c: data[c].to_numpy(dtype=float) for c in controls})
    fit = fit_ols(y, factors=[Factor.from_values("group", groups[data.index])], numerics=numerics)
    i = fit.index("female")
    estimate, se = float(fit.params[i]), float(fit.bse[i])
    low, high = fit.conf_int("female")
    if not np.isfinite(estimate) or fit.df_resid <= 0 or not se > 0:
        p = None
    else:
        p = float(2 * stats.t.sf(abs(estimate / se), fit.df_resid))
    comparison = Comparison(
        name,
        within,
        n_w,
        n_m,
        float(y[female].mean()),
        float(y[~female].mean()),
        estimate,
        low,
        high,
        p,
        "no_difference",
    )
    return comparison, p


def compare_appraisals(frame: pd.DataFrame, k: int = MIN_K) -> AppraisalResult:
    """The comparisons of one round.

    ``frame`` has ``gender`` (female/male/other), ``job_level``, ``reviewer_id``,
    ``rating`` and, when the round has texts, the columns of ``TEXT_MEASURES``."""
    if k < MIN_K:
        raise ValueError(f"the group threshold is at least {MIN_K}")
    counted = frame[frame["gender"].isin(["female", "male"])].copy()
    n_other = len(frame) - len(counted)
    counted["job_level"] = counted["job_level"].astype(str)
    level = counted["job_level"].rename("job_level")
    pair = (counted["reviewer_id"].astype(str) + "\x1f" + level).rename("reviewer_level")
    has_texts = all(m in counted for m in TEXT_MEASURES) and counted["words"].gt(0).any()
    found: list[tuple[Comparison, float | None]] = [_within(counted, "rating", level, (), k)]
    if has_texts:
        texts = counted[counted["words"] > 0]
        found.append(_within(texts, "rating", level[texts.index], TEXT_CONTROLS, k))
        for measure in TEXT_MEASURES:
            found.append(_within(texts, measure, pair[texts.index], (), k))
    tested = [i for i, (_, p) in enumerate(found) if p is not None]
    rejected = holm([found[i][1] for i in tested]) if tested else []  # type: ignore[misc]
    comparisons = [c for c, _ in found]
    for i, reject in zip(tested, rejected, strict=True):
        comparisons[i] = _relabel(comparisons[i], "difference" if reject else "no_difference")
    return AppraisalResult(
        tuple(comparisons),
        _levels(counted, k),
        int((counted["gender"] == "female").sum()),
        int((counted["gender"] == "male").sum()),
        n_other,
        bool(has_texts),
    )


def _relabel(comparison: Comparison, label: str) -> Comparison:
    return Comparison(**{**comparison.__dict__, "label": label})


def _levels(counted: pd.DataFrame, k: int) -> tuple[LevelRow, ...]:
    """Mean rating per level and gender; each gender's column suppressed as a breakdown."""
    stats_ = counted.groupby(["job_level", "gender"])["rating"].agg(["size", "mean"])
    levels = sorted(counted["job_level"].unique(), key=_level_key)
    hidden = {}
    for gender in ("female", "male"):
        sizes = {lv: int(stats_["size"].get((lv, gender), 0)) for lv in levels}
        hidden[gender] = suppressed_cells(sizes, k)
    rows = []
    for lv in levels:
        values: dict[str, Any] = {}
        for gender, key in (("female", "women"), ("male", "men")):
            n = int(stats_["size"].get((lv, gender), 0))
            shown = lv not in hidden[gender]
            values[f"n_{key}"] = n if shown else None
            values[f"mean_{key}"] = float(stats_["mean"][(lv, gender)]) if shown and n > 0 else None
        rows.append(LevelRow(lv, **values))
    return tuple(rows)


def _level_key(level: str) -> tuple[int, float | str]:
    try:
        return (0, float(level))
    except ValueError:
        return (1, level)
