"""Scale scoring, reliability (Cronbach's alpha, McDonald's omega) and norm percentiles.

Pure numpy/scipy/pandas; it never imports Django or ``koers.instruments``. A
scoring key is plain data (:class:`ScaleKey` per scale); the instruments module
builds one from a questionnaire definition (``koers.instruments.scoring_key``), and
anyone else can build one by hand.

Conventions
-----------
``responses`` is a DataFrame with one row per respondent and one column per item
id; a missing answer is NaN (or ``None``). Answers are numbers on the item's
response scale, e.g. 1..7.

Scoring rule (documented in ``docs/scoring.md``)
    A scale score is the mean of the answered items of the scale after reverse
    keying, ``x' = (min + max) - x`` for a reverse-keyed item. It is computed only
    when at least ``ceil(min_answered_share * k)`` of its ``k`` items are answered
    (default share 0.5, i.e. at least half, and never fewer than one item);
    otherwise the score is missing (NaN).

References
----------
Cronbach, L. J. (1951). Coefficient alpha and the internal structure of tests.
    *Psychometrika*, 16(3), 297-334.
McDonald, R. P. (1999). *Test theory: A unified treatment*. Mahwah, NJ: Erlbaum
    (chapter 6, coefficient omega).
Lawley, D. N., & Maxwell, A. E. (1971). *Factor analysis as a statistical method*
    (2nd ed.). London: Butterworths (maximum-likelihood factor analysis).
Crocker, L., & Algina, J. (1986). *Introduction to classical and modern test
    theory*. New York: Holt, Rinehart and Winston (percentile ranks).
Jöreskog, K. G. (1967). Some contributions to maximum likelihood factor analysis.
    *Psychometrika*, 32(4), 443-482.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import optimize

__all__ = [
    "MIN_ANSWERED_SHARE",
    "MIN_NORM_SIZE",
    "RELIABILITY_THRESHOLD",
    "OmegaResult",
    "OneFactorFit",
    "Reliability",
    "ScaleKey",
    "cronbach_alpha",
    "fit_one_factor",
    "keyed_items",
    "mcdonald_omega",
    "norm_percentiles",
    "percentile_rank",
    "reverse_keyed",
    "scale_reliability",
    "score_scales",
    "scoring_key_fingerprint",
]

FloatArray = npt.NDArray[np.float64]

#: Default minimum share of a scale's items that must be answered for a score.
MIN_ANSWERED_SHARE = 0.5
#: Alpha or omega below this value flags a scale as insufficiently reliable.
RELIABILITY_THRESHOLD = 0.6
#: Norm percentiles are only given against a norm group at least this large.
MIN_NORM_SIZE = 50

# Lower bound for uniquenesses of the standardised one-factor model; a fit that
# ends on it is a Heywood case (as in R's factanal, which uses the same bound).
_MIN_UNIQUENESS = 0.005


@dataclass(frozen=True)
class ScaleKey:
    """How one scale is scored.

    Parameters
    ----------
    items
        Item ids (DataFrame columns) of the scale, in any order, no duplicates.
    reverse_items
        Subset of ``items`` that are reverse keyed.
    response_min, response_max
        Range of the response scale the items are answered on (1 and 7 for a
        7-point scale); reverse keying uses ``(min + max) - x``.
    min_answered_share
        Share of items that must be answered, in (0, 1]; see :attr:`n_required`.
    """

    items: tuple[str, ...]
    reverse_items: frozenset[str] = frozenset()
    response_min: float = 1.0
    response_max: float = 7.0
    min_answered_share: float = MIN_ANSWERED_SHARE

    def __post_init__(self) -> None:
        if not self.items:
            raise ValueError("a scale needs at least one item")
        if len(set(self.items)) != len(self.items):
            raise ValueError(f"duplicate items in scale key: {list(self.items)}")
        unknown = set(self.reverse_items) - set(self.items)
        if unknown:
            raise ValueError(f"reverse items not in the scale: {sorted(unknown)}")
        if not self.response_min < self.response_max:
            raise ValueError("response_min must be smaller than response_max")
        if not 0.0 < self.min_answered_share <= 1.0:
            raise ValueError("min_answered_share must be in (0, 1]")

    @property
    def n_items(self) -> int:
        return len(self.items)

    @property
    def n_required(self) -> int:
        """Minimum number of answered items: ``max(1, ceil(share * k))``."""
        # The small epsilon keeps 0.5 * 4 == 2 from becoming 3 through rounding noise.
        return max(1, math.ceil(self.min_answered_share * self.n_items - 1e-9))


def reverse_keyed(
    values: pd.Series | pd.DataFrame, *, response_min: float, response_max: float
) -> pd.Series | pd.DataFrame:
    """Reverse-key answers: ``x' = (min + max) - x`` (NaN stays NaN).

    On a 1..7 scale, 1 becomes 7, 4 stays 4 and 7 becomes 1.
    """
    return (response_min + response_max) - values


def keyed_items(responses: pd.DataFrame, key: ScaleKey) -> pd.DataFrame:
    """The scale's item columns as floats, range-checked, reverse items reversed.

    Raises
    ------
    ValueError
        If an item column is absent (reindex ``responses`` with every item id to
        treat an item nobody answered as missing), holds a non-number, or holds a
        value outside ``[response_min, response_max]``.
    """
    missing = [item for item in key.items if item not in responses.columns]
    if missing:
        raise ValueError(
            f"responses have no column for items {missing}; add them as empty "
            "columns (responses.reindex(columns=...)) to treat them as unanswered"
        )
    columns: dict[str, pd.Series] = {}
    for item in key.items:
        try:
            column = pd.to_numeric(responses[item], errors="raise").astype("float64")
        except (ValueError, TypeError) as exc:
            raise ValueError(f"item {item!r} holds a value that is not a number: {exc}") from exc
        outside = column[(column < key.response_min) | (column > key.response_max)]
        if len(outside):
            raise ValueError(
                f"item {item!r} has value {float(outside.iloc[0]):g} outside the response "
                f"scale {key.response_min:g}..{key.response_max:g}"
            )
        if item in key.reverse_items:
            column = (key.response_min + key.response_max) - column
        columns[item] = column
    return pd.DataFrame(columns, index=responses.index)


def score_scales(responses: pd.DataFrame, key: Mapping[str, ScaleKey]) -> pd.DataFrame:
    """Scale scores: mean of answered, reverse-keyed items, or NaN if too few answered.

    Parameters
    ----------
    responses
        Shape (n_respondents, n_items); columns are item ids, NaN = not answered.
    key
        Scale id -> :class:`ScaleKey`.

    Returns
    -------
    pandas.DataFrame
        Shape (n_respondents, n_scales), same index as ``responses``, one float
        column per scale in the order of ``key``. A score is
        ``mean_j x'_j`` over the answered items j, where ``x'`` is the
        reverse-keyed answer, if ``n_answered >= key.n_required``; else NaN.

    Examples
    --------
    >>> responses = pd.DataFrame({"a": [7, 1, None], "b": [1, None, None]})
    >>> key = {"s": ScaleKey(items=("a", "b"), reverse_items=frozenset({"b"}))}
    >>> score_scales(responses, key)["s"].tolist()
    [7.0, 1.0, nan]
    """
    fast = _score_scales_numpy(responses, key)
    if fast is not None:
        return fast
    # A missing column, a non-number or a value out of range: keyed_items says which.
    scores: dict[str, pd.Series] = {}
    for scale_id, scale_key in key.items():
        items = keyed_items(responses, scale_key)
        n_answered = items.notna().sum(axis=1)
        mean = items.mean(axis=1, skipna=True)
        scores[scale_id] = mean.where(n_answered >= scale_key.n_required)
    return pd.DataFrame(scores, index=responses.index, dtype="float64")


def _score_scales_numpy(
    responses: pd.DataFrame, key: Mapping[str, ScaleKey]
) -> pd.DataFrame | None:
    """``score_scales`` on numpy arrays: one conversion per item instead of a DataFrame per
    scale (a finish scores one response: pandas' per-call overhead was most of its time).

    None when an item is missing, not a number or out of range (the caller then raises the
    error of ``keyed_items``). The mean is the sum of the answered items over their number,
    as pandas' ``mean(skipna=True)`` (tests/stats/test_scales.py compares the two).
    """
    numeric: dict[str, np.ndarray] = {}
    out: dict[str, np.ndarray] = {}
    for scale_id, scale_key in key.items():
        columns = []
        for item in scale_key.items:
            if item not in numeric:
                if item not in responses.columns:
                    return None
                try:
                    values = pd.to_numeric(responses[item], errors="raise")
                    numeric[item] = np.asarray(values, dtype="float64")
                except (ValueError, TypeError):
                    return None
            column = numeric[item]
            if np.any((column < scale_key.response_min) | (column > scale_key.response_max)):
                return None
            if item in scale_key.reverse_items:
                column = (scale_key.response_min + scale_key.response_max) - column
            columns.append(column)
        x = np.column_stack(columns) if columns else np.empty((len(responses), 0))
        answered = ~np.isnan(x)
        n_answered = answered.sum(axis=1)
        total = np.where(answered, x, 0.0).sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = total / n_answered
        out[scale_id] = np.where(n_answered >= scale_key.n_required, mean, np.nan)
    return pd.DataFrame(out, index=responses.index, columns=list(key), dtype="float64")


@dataclass(frozen=True)
class Reliability:
    """A reliability coefficient with the data it was computed on.

    ``value`` is NaN when it cannot be computed (too few respondents or items,
    no variance); ``n_respondents`` counts the complete cases used.
    """

    value: float
    n_respondents: int
    n_items: int


@dataclass(frozen=True)
class OneFactorFit:
    """Maximum-likelihood one-factor model of a correlation matrix.

    ``loadings`` and ``uniquenesses`` have shape (n_items,) and are in the
    standardised metric (``loadings**2 + uniquenesses == 1`` at the solution).
    ``heywood`` is True when a uniqueness ended on its lower bound (0.005).
    """

    loadings: FloatArray
    uniquenesses: FloatArray
    converged: bool
    heywood: bool
    n_iter: int


@dataclass(frozen=True)
class OmegaResult(Reliability):
    """McDonald's omega total plus the one-factor solution behind it.

    ``loadings`` and ``uniquenesses`` are in raw item units (standardised values
    times the item SD, resp. variance); empty arrays when omega is NaN.
    """

    loadings: FloatArray
    uniquenesses: FloatArray
    heywood: bool = False


def _complete_cases(items: pd.DataFrame | FloatArray) -> FloatArray:
    array = np.asarray(items, dtype=np.float64)
    if array.ndim != 2:
        raise ValueError(f"expected a 2-d array (n_respondents, n_items), got shape {array.shape}")
    return array[~np.isnan(array).any(axis=1)]


def cronbach_alpha(items: pd.DataFrame | FloatArray) -> Reliability:
    """Cronbach's alpha on complete cases (listwise deletion).

    .. math::

        \\alpha = \\frac{k}{k-1}\\Bigl(1 - \\frac{\\sum_j s_j^2}{s_X^2}\\Bigr)

    with ``k`` items, item variances ``s_j^2`` and the variance ``s_X^2`` of the
    sum score (Cronbach, 1951). Equivalently (the form pingouin uses)
    ``alpha = k * mean_cov / (mean_var + (k - 1) * mean_cov)`` with the mean
    item variance and the mean inter-item covariance. Reverse-keyed items must
    already be reversed (see :func:`keyed_items`).

    Parameters
    ----------
    items
        Shape (n_respondents, n_items); rows with any NaN are dropped.

    Returns
    -------
    Reliability
        NaN when ``k < 2``, fewer than 2 complete cases, or zero variance of the
        sum score.

    Examples
    --------
    >>> data = np.array([[1, 2, 2], [2, 3, 3], [3, 3, 4], [4, 5, 5]])
    >>> round(cronbach_alpha(data).value, 4)
    0.9825
    """
    complete = _complete_cases(items)
    n, k = complete.shape
    if k < 2 or n < 2:
        return Reliability(value=math.nan, n_respondents=n, n_items=k)
    covariance = np.cov(complete, rowvar=False, ddof=1)
    total_variance = float(covariance.sum())
    if total_variance <= 0.0:
        return Reliability(value=math.nan, n_respondents=n, n_items=k)
    alpha = k / (k - 1) * (1.0 - float(np.trace(covariance)) / total_variance)
    return Reliability(value=alpha, n_respondents=n, n_items=k)


def _ml_objective(psi: FloatArray, corr: FloatArray) -> float:
    # Concentrated ML discrepancy for q = 1 factor (Lawley & Maxwell 1971; R factanal):
    # with S* = Psi^-1/2 R Psi^-1/2 and its eigenvalues t_1 >= ... >= t_p,
    # F(Psi) = -(sum_{j>1} (log t_j - t_j) - q + p), minimal at the ML solution.
    scale = 1.0 / np.sqrt(psi)
    eigenvalues = np.linalg.eigvalsh(corr * np.outer(scale, scale))[::-1]
    rest = eigenvalues[1:]
    return float(-(np.sum(np.log(rest) - rest) - 1.0 + corr.shape[0]))


def _ml_loadings(psi: FloatArray, corr: FloatArray) -> FloatArray:
    # Given Psi, the ML loadings are Psi^1/2 v_1 sqrt(max(t_1 - 1, 0)) (Joreskog 1967).
    scale = 1.0 / np.sqrt(psi)
    eigenvalues, eigenvectors = np.linalg.eigh(corr * np.outer(scale, scale))
    first = eigenvectors[:, -1]
    loadings: FloatArray = np.sqrt(psi) * first * math.sqrt(max(eigenvalues[-1] - 1.0, 0.0))
    return loadings


def _ml_gradient(psi: FloatArray, corr: FloatArray) -> FloatArray:
    loadings = _ml_loadings(psi, corr)
    residual = np.outer(loadings, loadings) + np.diag(psi) - corr
    gradient: FloatArray = np.diag(residual) / psi**2
    return gradient


def fit_one_factor(corr: FloatArray, *, max_iter: int = 1000) -> OneFactorFit:
    """Fit a one-factor model to a correlation matrix by maximum likelihood.

    The model is ``R = lambda lambda' + diag(psi)``. As in R's ``factanal``,
    the loadings are concentrated out and the ML discrepancy is minimised over
    the uniquenesses ``psi`` in ``[0.005, 1]`` with L-BFGS-B, starting at
    ``psi_j = (1 - 1/(2p)) / (R^-1)_jj``. Loadings are signed so that their sum
    is non-negative.

    Parameters
    ----------
    corr
        Shape (p, p), a positive-definite correlation matrix, ``p >= 3`` (with
        fewer items a one-factor model is not identified).
    """
    corr = np.asarray(corr, dtype=np.float64)
    p = corr.shape[0]
    if corr.shape != (p, p) or p < 3:
        raise ValueError("fit_one_factor needs a square correlation matrix of at least 3 items")
    start = np.clip((1.0 - 0.5 / p) / np.diag(np.linalg.inv(corr)), _MIN_UNIQUENESS, 1.0)
    result = optimize.minimize(
        _ml_objective,
        start,
        args=(corr,),
        jac=_ml_gradient,
        method="L-BFGS-B",
        bounds=[(_MIN_UNIQUENESS, 1.0)] * p,
        options={"maxiter": max_iter, "ftol": 1e-12, "gtol": 1e-9},
    )
    psi = np.asarray(result.x, dtype=np.float64)
    loadings = _ml_loadings(psi, corr)
    if loadings.sum() < 0:
        loadings = -loadings
    return OneFactorFit(
        loadings=loadings,
        uniquenesses=psi,
        converged=bool(result.success),
        heywood=bool(np.any(psi <= _MIN_UNIQUENESS * (1 + 1e-6))),
        n_iter=int(result.nit),
    )


def mcdonald_omega(items: pd.DataFrame | FloatArray) -> OmegaResult:
    """McDonald's omega total from a one-factor ML model, on complete cases.

    .. math::

        \\omega = \\frac{(\\sum_j \\lambda_j)^2}{(\\sum_j \\lambda_j)^2 + \\sum_j \\psi_j}

    with loadings ``lambda_j`` and uniquenesses ``psi_j`` of a one-factor model
    in raw item units (McDonald, 1999, ch. 6): the reliability of the
    unit-weighted sum (or mean) score, which is what :func:`score_scales`
    reports. The model is fitted to the correlation matrix by
    :func:`fit_one_factor`; ML estimates are scale-equivariant, so raw loadings
    are ``lambda*_j s_j`` and raw uniquenesses ``psi*_j s_j^2``.

    Parameters
    ----------
    items
        Shape (n_respondents, n_items), reverse-keyed items already reversed;
        rows with any NaN are dropped.

    Returns
    -------
    OmegaResult
        NaN when ``k < 3`` (the one-factor model is not identified for two
        items), when there are not more complete cases than items, when an item
        has no variance, or when the correlation matrix is singular.
    """
    complete = _complete_cases(items)
    n, k = complete.shape
    empty = np.zeros(0, dtype=np.float64)
    nan_result = OmegaResult(
        value=math.nan, n_respondents=n, n_items=k, loadings=empty, uniquenesses=empty
    )
    if k < 3 or n <= k:
        return nan_result
    sd = complete.std(axis=0, ddof=1)
    if np.any(sd <= 0.0):
        return nan_result
    corr: FloatArray = np.atleast_2d(np.corrcoef(complete, rowvar=False))
    if np.linalg.eigvalsh(corr)[0] <= 1e-10:
        return nan_result
    fit = fit_one_factor(corr)
    loadings = fit.loadings * sd
    uniquenesses = fit.uniquenesses * sd**2
    common = float(loadings.sum()) ** 2
    omega = common / (common + float(uniquenesses.sum()))
    return OmegaResult(
        value=omega,
        n_respondents=n,
        n_items=k,
        loadings=loadings,
        uniquenesses=uniquenesses,
        heywood=fit.heywood,
    )


def scale_reliability(
    responses: pd.DataFrame,
    key: Mapping[str, ScaleKey],
    *,
    threshold: float = RELIABILITY_THRESHOLD,
) -> pd.DataFrame:
    """Alpha and omega for every scale in ``key``, with n, flagged below ``threshold``.

    Items are reverse keyed first; each scale uses its own complete cases.

    Returns
    -------
    pandas.DataFrame
        Index: scale ids. Columns: ``n_items``, ``n_respondents`` (complete
        cases), ``alpha``, ``omega``, ``heywood`` and ``below_threshold``, which
        is True when alpha or omega is below ``threshold`` (a NaN coefficient
        does not flag; a scale with neither coefficient is not flagged but has
        NaN in both columns, so a report should say "cannot be computed").
    """
    rows: list[dict[str, object]] = []
    for scale_id, scale_key in key.items():
        items = keyed_items(responses, scale_key)
        alpha = cronbach_alpha(items)
        omega = mcdonald_omega(items)
        flagged = any(
            not math.isnan(value) and value < threshold for value in (alpha.value, omega.value)
        )
        rows.append(
            {
                "scale": scale_id,
                "n_items": scale_key.n_items,
                "n_respondents": alpha.n_respondents,
                "alpha": alpha.value,
                "omega": omega.value,
                "heywood": omega.heywood,
                "below_threshold": flagged,
            }
        )
    columns = ["n_items", "n_respondents", "alpha", "omega", "heywood", "below_threshold"]
    if not rows:
        return pd.DataFrame(columns=columns, index=pd.Index([], name="scale"))
    return pd.DataFrame(rows).set_index("scale")[columns]


def _norm_values(norm_scores: Sequence[float] | pd.Series | FloatArray) -> FloatArray:
    values = np.asarray(norm_scores, dtype=np.float64)
    return values[~np.isnan(values)]


def percentile_rank(
    score: float | None,
    norm_scores: Sequence[float] | pd.Series | FloatArray,
    *,
    min_norm_size: int = MIN_NORM_SIZE,
) -> float | None:
    """Percentile rank of ``score`` in a norm group, or None if not allowed.

    .. math::

        PR = 100 \\cdot \\frac{\\#\\{x_i < s\\} + \\tfrac12 \\#\\{x_i = s\\}}{n}

    the mid-rank definition (Crocker & Algina, 1986), which treats the
    many ties of a mean of 7-point items symmetrically; it equals
    ``scipy.stats.percentileofscore(norm, score, kind="mean")``.

    Returns None when ``score`` is missing or when the norm group has fewer than
    ``min_norm_size`` non-missing scores (default 50, the rule of issue 5).
    """
    if score is None or math.isnan(score):
        return None
    norm = _norm_values(norm_scores)
    if len(norm) < min_norm_size:
        return None
    below = int(np.count_nonzero(norm < score))
    equal = int(np.count_nonzero(norm == score))
    return 100.0 * (below + 0.5 * equal) / len(norm)


def norm_percentiles(
    scores: pd.DataFrame,
    norm_scores: pd.DataFrame,
    *,
    min_norm_size: int = MIN_NORM_SIZE,
) -> pd.DataFrame:
    """Percentile ranks of every score against the norm group, per scale.

    Parameters
    ----------
    scores
        Shape (n_respondents, n_scales), e.g. from :func:`score_scales`.
    norm_scores
        The norm group's scale scores (it may include the respondents).

    Returns
    -------
    pandas.DataFrame
        Same shape as ``scores``; NaN where the score is missing, the scale is
        absent from the norm group, or the norm group has fewer than
        ``min_norm_size`` non-missing scores on that scale (see
        :func:`percentile_rank`).
    """
    result = pd.DataFrame(index=scores.index, columns=scores.columns, dtype="float64")
    for scale in scores.columns:
        if scale not in norm_scores.columns:
            continue
        norm = _norm_values(norm_scores[scale])
        if len(norm) < min_norm_size:
            continue
        result[scale] = [
            math.nan if (rank := percentile_rank(value, norm, min_norm_size=1)) is None else rank
            for value in scores[scale].astype("float64")
        ]
    return result


def scoring_key_fingerprint(key: Mapping[str, ScaleKey]) -> str:
    """A sha256 of the scoring rules, to store next to scores.

    When a stored fingerprint differs from the current one, a scoring rule has
    changed and stored scores must be recomputed (issue 5). Item and scale
    order do not matter.
    """
    canonical = {
        scale_id: {
            "items": sorted(scale_key.items),
            "reverse_items": sorted(scale_key.reverse_items),
            "response_min": scale_key.response_min,
            "response_max": scale_key.response_max,
            "min_answered_share": scale_key.min_answered_share,
        }
        for scale_id, scale_key in key.items()
    }
    text = json.dumps(canonical, sort_keys=True, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()
