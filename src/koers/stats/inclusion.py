"""The inclusion survey's figures: the gap between women and men per scale, and how it moves.

Pure numpy/scipy/pandas (no Django). The input is one round of a campaign as a DataFrame
(one row per finished response, one column per item, NaN = not answered, plus a gender
column) and the scoring key of :func:`koers.instruments.scoring_key`. Everything returned is
a frozen dataclass whose ``to_dict()`` is what the results page and any export read.

The two-group statistics (Welch's interval, Hedges' g) are in :mod:`koers.stats.effects`.

* :func:`compare_genders` — per scale the women − men gap with both, the reliability per
  gender (alpha and omega, flagged where a scale does not hold for one group) and the share
  agreeing per item.
* :func:`compare_rounds` — per scale the change of the gap (and of each gender's mean)
  from one round to the next, marked when the change is larger than its uncertainty.

The gap is **women − men** on the scale as scored (reverse-keyed items turned round), so
its sign is read with the scale's direction: a negative gap on psychological safety and a
positive gap on work–family conflict are both unfavourable for women. Disclosure (which
figures may be shown to whom) is not decided here but by the page's context builder with
:mod:`koers.stats.disclosure`.

References
----------
Welch (1947), Hedges (1981) and Steiger & Fouladi (1997), see :mod:`koers.stats.effects`;
Cronbach (1951) and McDonald (1999) for the reliability, see :mod:`koers.stats.scales`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import stats

from koers.stats.effects import (
    CONFIDENCE,
    EffectSize,
    MeanDifference,
    finite_or_none,
    hedges_g_from_summary,
    summarise,
    welch_from_summary,
)
from koers.stats.scales import (
    RELIABILITY_THRESHOLD,
    ScaleKey,
    cronbach_alpha,
    keyed_items,
    mcdonald_omega,
    score_scales,
)

__all__ = [
    "CONFIDENCE",
    "EffectSize",
    "GenderGap",
    "GroupReliability",
    "InclusionResult",
    "ItemAgreement",
    "MeanDifference",
    "ScaleReliability",
    "ScaleTrend",
    "compare_genders",
    "compare_rounds",
]

FloatArray = npt.NDArray[np.float64]

WOMEN = "woman"
MEN = "man"


# --- One round ---------------------------------------------------------------------------


@dataclass(frozen=True)
class GenderGap:
    """One scale in one round: each gender's mean and the women − men gap."""

    scale: str
    n_women: int
    n_men: int
    mean_women: float | None
    mean_men: float | None
    sd_women: float | None
    sd_men: float | None
    gap: MeanDifference
    effect: EffectSize

    def to_dict(self) -> dict[str, Any]:
        return {
            "scale": self.scale,
            "n_women": self.n_women,
            "n_men": self.n_men,
            "mean_women": self.mean_women,
            "mean_men": self.mean_men,
            "sd_women": self.sd_women,
            "sd_men": self.sd_men,
            "gap": self.gap.to_dict(),
            "effect": self.effect.to_dict(),
        }


@dataclass(frozen=True)
class GroupReliability:
    """Alpha and omega of one scale within one group (complete cases of the group)."""

    group: str
    n_respondents: int
    alpha: float | None
    omega: float | None
    heywood: bool
    below_threshold: bool

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class ScaleReliability:
    """A scale's reliability per gender. ``warning``: the scale does not hold for at least
    one group (alpha or omega below the threshold there), so its gap compares scores that
    do not measure the same thing equally well in both groups."""

    scale: str
    groups: tuple[GroupReliability, ...]
    threshold: float

    @property
    def warning(self) -> bool:
        return any(group.below_threshold for group in self.groups)

    @property
    def weak_groups(self) -> tuple[str, ...]:
        return tuple(group.group for group in self.groups if group.below_threshold)

    def group(self, name: str) -> GroupReliability:
        for group in self.groups:
            if group.group == name:
                return group
        raise KeyError(name)

    def to_dict(self) -> dict[str, Any]:
        return {
            "scale": self.scale,
            "threshold": self.threshold,
            "warning": self.warning,
            "weak_groups": list(self.weak_groups),
            "groups": [group.to_dict() for group in self.groups],
        }


@dataclass(frozen=True)
class ItemAgreement:
    """Share agreeing with one statement as it is worded (an answer above the scale's middle:
    4–5 on 1–5, 5–7 on 1–7), overall and per gender, each over those who answered it.
    For a reverse-keyed statement this is agreement with the statement, not with the scale."""

    item: str
    scale: str
    n_all: int
    share_all: float | None
    n_women: int
    share_women: float | None
    n_men: int
    share_men: float | None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class InclusionResult:
    """Every figure of one round. ``label`` names the round (e.g. the campaign)."""

    label: str
    n_all: int
    n_women: int
    n_men: int
    gaps: tuple[GenderGap, ...]
    reliability: tuple[ScaleReliability, ...]
    items: tuple[ItemAgreement, ...]

    def gap(self, scale: str) -> GenderGap:
        for gap in self.gaps:
            if gap.scale == scale:
                return gap
        raise KeyError(scale)

    def reliability_of(self, scale: str) -> ScaleReliability:
        for entry in self.reliability:
            if entry.scale == scale:
                return entry
        raise KeyError(scale)

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "n_all": self.n_all,
            "n_women": self.n_women,
            "n_men": self.n_men,
            "gaps": [gap.to_dict() for gap in self.gaps],
            "reliability": [entry.to_dict() for entry in self.reliability],
            "items": [item.to_dict() for item in self.items],
        }


def _group_reliability(items: pd.DataFrame, group: str, threshold: float) -> GroupReliability:
    alpha = cronbach_alpha(items)
    omega = mcdonald_omega(items)
    a, o = finite_or_none(alpha.value), finite_or_none(omega.value)
    below = (a is not None and a < threshold) or (o is not None and o < threshold)
    return GroupReliability(
        group=group,
        n_respondents=alpha.n_respondents,
        alpha=a,
        omega=o,
        heywood=bool(omega.heywood),
        below_threshold=bool(below),
    )


def _share_agreeing(values: pd.Series, middle: float) -> tuple[int, float | None]:
    answered = values.dropna()
    n = int(answered.size)
    return n, (float((answered > middle).mean()) if n else None)


def compare_genders(
    responses: pd.DataFrame,
    key: Mapping[str, ScaleKey],
    *,
    gender: str = "gender",
    women: str = WOMEN,
    men: str = MEN,
    label: str = "",
    confidence: float = CONFIDENCE,
    threshold: float = RELIABILITY_THRESHOLD,
    details: bool = True,
) -> InclusionResult:
    """All figures of one round: gaps, reliability per gender, share agreeing per item.

    Parameters
    ----------
    responses
        Shape (n_respondents, …): the item columns of ``key`` and the ``gender`` column.
        People who gave another gender or none count in ``n_all`` and in the overall share
        agreeing, not in the gap.
    key
        Scale id → :class:`~koers.stats.scales.ScaleKey`; scores follow
        :func:`koers.stats.scales.score_scales` (mean of answered items, half rule).
    threshold
        Alpha or omega below it within a gender flags the scale (default 0.6, as
        :data:`koers.stats.scales.RELIABILITY_THRESHOLD`).
    details
        False: the gaps only, no reliability and no shares per item (``reliability`` and
        ``items`` are empty); for breakdown cells, where omega's factor fits cost most.

    Examples
    --------
    >>> frame = pd.DataFrame({"a": [4, 5, 2, 3, 4, 2], "b": [4, 4, 2, 2, 5, 1],
    ...                       "gender": ["woman"] * 3 + ["man"] * 3})
    >>> key = {"s": ScaleKey(items=("a", "b"), response_min=1, response_max=5)}
    >>> round(compare_genders(frame, key).gap("s").gap.difference, 3)
    0.667
    """
    if gender not in responses.columns:
        raise ValueError(f"responses have no gender column {gender!r}; pass gender=…")
    is_woman = (responses[gender] == women).to_numpy()
    is_man = (responses[gender] == men).to_numpy()
    scores = score_scales(responses, key)
    gaps: list[GenderGap] = []
    reliability: list[ScaleReliability] = []
    items: list[ItemAgreement] = []
    for scale, scale_key in key.items():
        column = scores[scale].to_numpy(dtype=np.float64)
        w, m = column[is_woman], column[is_man]
        w, m = w[~np.isnan(w)], m[~np.isnan(m)]
        mean_w, sd_w, n_w = summarise(w)
        mean_m, sd_m, n_m = summarise(m)
        gaps.append(
            GenderGap(
                scale=scale,
                n_women=n_w,
                n_men=n_m,
                mean_women=finite_or_none(mean_w),
                mean_men=finite_or_none(mean_m),
                sd_women=finite_or_none(sd_w),
                sd_men=finite_or_none(sd_m),
                gap=welch_from_summary(mean_w, sd_w, n_w, mean_m, sd_m, n_m, confidence=confidence),
                effect=hedges_g_from_summary(
                    mean_w, sd_w, n_w, mean_m, sd_m, n_m, confidence=confidence
                ),
            )
        )
        if not details:
            continue
        keyed = keyed_items(responses, scale_key)
        reliability.append(
            ScaleReliability(
                scale=scale,
                groups=(
                    _group_reliability(keyed[is_woman], women, threshold),
                    _group_reliability(keyed[is_man], men, threshold),
                ),
                threshold=threshold,
            )
        )
        middle = (scale_key.response_min + scale_key.response_max) / 2.0
        for item in scale_key.items:
            raw = pd.to_numeric(responses[item], errors="coerce")
            n_a, share_a = _share_agreeing(raw, middle)
            n_wi, share_w = _share_agreeing(raw[is_woman], middle)
            n_mi, share_m = _share_agreeing(raw[is_man], middle)
            items.append(ItemAgreement(item, scale, n_a, share_a, n_wi, share_w, n_mi, share_m))
    return InclusionResult(
        label=label,
        n_all=len(responses),
        n_women=int(is_woman.sum()),
        n_men=int(is_man.sum()),
        gaps=tuple(gaps),
        reliability=tuple(reliability),
        items=tuple(items),
    )


# --- Rounds ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScaleTrend:
    """One scale from round ``before`` to round ``after``.

    ``gap_change`` is ``gap_after − gap_before`` with the interval
    ``Δ ± t_ν SE``, ``SE = √(SE_before² + SE_after²)`` and ν by Welch–Satterthwaite from the
    two gaps' own SEs and degrees of freedom. The rounds are treated as independent samples:
    anonymous responses cannot be linked across rounds, and when many people answer both the
    true uncertainty of a change is smaller than this, so the mark is conservative.
    ``women_change`` and ``men_change`` are each gender's change of mean (Welch across the
    two rounds). ``marked`` — the change of the gap is larger than its uncertainty (its
    interval excludes 0).
    """

    scale: str
    before: str
    after: str
    gap_before: float | None
    gap_after: float | None
    gap_change: MeanDifference
    women_change: MeanDifference
    men_change: MeanDifference

    @property
    def marked(self) -> bool:
        return self.gap_change.excludes_zero

    @property
    def narrowed(self) -> bool | None:
        """The gap is closer to 0 after than before (None when either is unknown)."""
        if self.gap_before is None or self.gap_after is None:
            return None
        return abs(self.gap_after) < abs(self.gap_before)

    def to_dict(self) -> dict[str, Any]:
        return {
            "scale": self.scale,
            "before": self.before,
            "after": self.after,
            "gap_before": self.gap_before,
            "gap_after": self.gap_after,
            "gap_change": self.gap_change.to_dict(),
            "women_change": self.women_change.to_dict(),
            "men_change": self.men_change.to_dict(),
            "marked": self.marked,
            "narrowed": self.narrowed,
        }


def _change_of_differences(
    before: MeanDifference, after: MeanDifference, confidence: float
) -> MeanDifference:
    empty = MeanDifference(None, None, None, None, None, None, confidence)
    if (
        before.difference is None
        or after.difference is None
        or not before.std_error
        or not after.std_error
        or before.df is None
        or after.df is None
    ):
        return empty
    change = after.difference - before.difference
    var_b, var_a = before.std_error**2, after.std_error**2
    se = math.sqrt(var_b + var_a)
    df = (var_b + var_a) ** 2 / (var_b**2 / before.df + var_a**2 / after.df)
    t_crit = float(stats.t.ppf((1.0 + confidence) / 2.0, df))
    p_value = float(2.0 * stats.t.sf(abs(change / se), df))
    return MeanDifference(
        change, change - t_crit * se, change + t_crit * se, se, df, p_value, confidence
    )


def _mean_change(
    before: GenderGap, after: GenderGap, which: str, confidence: float
) -> MeanDifference:
    mean_b, sd_b = getattr(before, f"mean_{which}"), getattr(before, f"sd_{which}")
    mean_a, sd_a = getattr(after, f"mean_{which}"), getattr(after, f"sd_{which}")
    n_b, n_a = getattr(before, f"n_{which}"), getattr(after, f"n_{which}")
    if None in (mean_b, sd_b, mean_a, sd_a):
        return MeanDifference(None, None, None, None, None, None, confidence)
    return welch_from_summary(mean_a, sd_a, n_a, mean_b, sd_b, n_b, confidence=confidence)


def compare_rounds(
    rounds: Sequence[InclusionResult], *, confidence: float = CONFIDENCE
) -> tuple[ScaleTrend, ...]:
    """The change of every scale between each pair of consecutive rounds (oldest first).

    A scale missing from one of the two rounds is skipped for that pair.
    """
    trends: list[ScaleTrend] = []
    for before, after in zip(rounds, rounds[1:], strict=False):
        known = {gap.scale: gap for gap in before.gaps}
        for gap_after in after.gaps:
            gap_before = known.get(gap_after.scale)
            if gap_before is None:
                continue
            trends.append(
                ScaleTrend(
                    scale=gap_after.scale,
                    before=before.label,
                    after=after.label,
                    gap_before=gap_before.gap.difference,
                    gap_after=gap_after.gap.difference,
                    gap_change=_change_of_differences(gap_before.gap, gap_after.gap, confidence),
                    women_change=_mean_change(gap_before, gap_after, "women", confidence),
                    men_change=_mean_change(gap_before, gap_after, "men", confidence),
                )
            )
    return tuple(trends)
