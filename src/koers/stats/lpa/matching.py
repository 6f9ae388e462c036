"""Standardisation helpers and naming fitted profiles after reference signatures.

A fitted profile is named after the reference profile whose signature its
standardised mean vector resembles most, one-to-one: the assignment that
maximises the summed similarity (Pearson correlation by default) is found
with the Hungarian algorithm (``scipy.optimize.linear_sum_assignment``;
Kuhn 1955).  The similarity of each assigned pair is the match quality; the
Career Compass keeps a neutral name below 0.5 (``docs/lpa.md``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike
from scipy.optimize import linear_sum_assignment

from koers.stats.lpa.em import FloatArray


def standardize(
    X: ArrayLike, *, center: ArrayLike | None = None, scale: ArrayLike | None = None
) -> FloatArray:
    """``(X − center) / scale`` per column; defaults are the column mean and SD of X (NaN-aware).

    Examples
    --------
    >>> standardize([[1.0, 4.0], [3.0, 8.0]]).tolist()
    [[-1.0, -1.0], [1.0, 1.0]]
    >>> standardize([[5.25]], center=4.0, scale=1.25).tolist()
    [[1.0]]
    """
    x = np.asarray(X, dtype=np.float64)
    c = np.nanmean(x, axis=0) if center is None else np.asarray(center, dtype=np.float64)
    s = np.nanstd(x, axis=0) if scale is None else np.asarray(scale, dtype=np.float64)
    if np.any(~(s > 0)):
        raise ValueError("scale must be positive for every column (a constant column?)")
    return np.asarray((x - c) / s)


def norm_standardization(
    norm: ArrayLike | None,
    n_columns: int,
    *,
    min_rows: int = 300,
    midpoint: float = 4.0,
    sd: float = 1.25,
) -> tuple[FloatArray, FloatArray]:
    """Center and scale for standardising scores against a norm group.

    The norm group's column means and SDs when it has at least ``min_rows``
    complete rows; otherwise the fixed ``midpoint`` and ``sd`` (for a 1–7
    scale: 4 and 1.25, the Career Compass's assumption before a norm group
    exists).
    """
    if norm is not None:
        x = np.asarray(norm, dtype=np.float64)
        if x.shape[1] != n_columns:
            raise ValueError(f"norm group has {x.shape[1]} columns, expected {n_columns}")
        complete = x[~np.isnan(x).any(axis=1)]
        if complete.shape[0] >= min_rows:
            return complete.mean(axis=0), complete.std(axis=0)
    return np.full(n_columns, float(midpoint)), np.full(n_columns, float(sd))


@dataclass(frozen=True)
class ProfileMatch:
    """The reference profile assigned to one fitted profile.

    Attributes
    ----------
    profile : int
        Index of the fitted profile.
    reference : int or None
        Index of the assigned reference signature (None when there are more
        fitted profiles than references and this one was left over).
    name : str or None
        The reference's name when ``accepted``, else None (give it a neutral name).
    quality : float
        Similarity of the pair (NaN when unassigned or undefined).
    accepted : bool
        ``quality >= min_quality``.
    """

    profile: int
    reference: int | None
    name: str | None
    quality: float
    accepted: bool


def match_profiles(
    profile_means: ArrayLike,
    signatures: ArrayLike,
    *,
    names: Sequence[str] | None = None,
    similarity: Literal["correlation", "cosine"] = "correlation",
    min_quality: float = 0.5,
) -> list[ProfileMatch]:
    """Assign fitted profiles to reference signatures one-to-one, maximising similarity.

    Parameters
    ----------
    profile_means : array-like of shape (k, d)
        Standardised means of the fitted profiles (see :func:`standardize`).
    signatures : array-like of shape (r, d)
        Reference signatures on the same standardised scale (e.g. +0.8 for a
        "high" facet, −0.8 for a "low" one, 0 otherwise).
    names : sequence of str, optional
        Names of the references.
    similarity : {"correlation", "cosine"}, default="correlation"
        Pearson correlation of the two vectors, or the cosine of their angle.
    min_quality : float, default=0.5
        Matches below this keep no name.

    Returns
    -------
    list of ProfileMatch
        One per fitted profile, in profile order.

    Examples
    --------
    >>> sig = [[0.8, -0.8, 0.0], [0.0, 0.8, -0.8]]
    >>> m = match_profiles([[0.1, 1.0, -0.9], [1.1, -0.6, 0.1]], sig, names=["A", "B"])
    >>> [(x.name, round(x.quality, 2)) for x in m]
    [('B', 1.0), ('A', 0.99)]
    """
    means = np.atleast_2d(np.asarray(profile_means, dtype=np.float64))
    refs = np.atleast_2d(np.asarray(signatures, dtype=np.float64))
    if means.shape[1] != refs.shape[1]:
        raise ValueError(f"profile means have {means.shape[1]} columns, signatures {refs.shape[1]}")
    if names is not None and len(names) != refs.shape[0]:
        raise ValueError(f"{len(names)} names for {refs.shape[0]} signatures")
    sim = similarity_matrix(means, refs, similarity)
    rows, cols = linear_sum_assignment(np.where(np.isnan(sim), -2.0, sim), maximize=True)
    assigned = dict(zip(rows.tolist(), cols.tolist(), strict=True))
    out = []
    for i in range(means.shape[0]):
        ref = assigned.get(i)
        quality = float(sim[i, ref]) if ref is not None else float("nan")
        accepted = ref is not None and quality >= min_quality
        name = names[ref] if (accepted and names is not None and ref is not None) else None
        out.append(ProfileMatch(i, ref, name, quality, accepted))
    return out


def similarity_matrix(
    a: FloatArray, b: FloatArray, similarity: Literal["correlation", "cosine"] = "correlation"
) -> FloatArray:
    """Pairwise similarity of the rows of ``a`` and ``b`` (NaN where a row is constant/zero)."""
    if similarity == "correlation":
        a = a - a.mean(axis=1, keepdims=True)
        b = b - b.mean(axis=1, keepdims=True)
    elif similarity != "cosine":
        raise ValueError(f"similarity must be 'correlation' or 'cosine', got {similarity!r}")
    na = np.linalg.norm(a, axis=1)
    nb = np.linalg.norm(b, axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = (a @ b.T) / np.outer(na, nb)
    out[(na[:, None] == 0) | (nb[None, :] == 0)] = np.nan
    return np.asarray(np.clip(out, -1.0, 1.0))
