"""Classification diagnostics of a fitted latent profile model.

Formulas (n rows, k profiles, posterior probabilities ``p_ik``):

- share of profile k: ``π̂_k = (1/n) Σ_i p_ik`` (the model-based class size);
- relative entropy (Ramaswamy et al. 1993; Mplus's "Entropy"):
  ``E_k = 1 − Σ_i Σ_k (−p_ik ln p_ik) / (n ln k)``, undefined for k = 1;
- average posterior probability of profile k (Nagin 2005):
  the mean of ``p_ik`` over the rows whose modal profile is k.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike, NDArray

from koers.stats.lpa.em import FloatArray

if TYPE_CHECKING:
    from koers.stats.lpa.model import LatentProfileModel


@dataclass(frozen=True)
class Classification:
    """Posterior classification of rows by a fitted model.

    Attributes
    ----------
    posteriors : ndarray of shape (n, k)
    modal : ndarray of shape (n,)
        Index of the most probable profile of each row.
    counts : ndarray of shape (k,)
        Rows whose modal profile is k.
    shares : ndarray of shape (k,)
        Mean posterior probability per profile.
    average_posterior : ndarray of shape (k,)
        Average posterior probability of the rows assigned to each profile
        (NaN for a profile without rows); values above 0.7 are usually read
        as a clear classification (Nagin 2005).
    entropy : float or None
        Relative entropy; None for one profile.
    """

    posteriors: FloatArray
    modal: NDArray[np.intp]
    counts: NDArray[np.intp]
    shares: FloatArray
    average_posterior: FloatArray
    entropy: float | None


def classify(model: LatentProfileModel, X: ArrayLike) -> Classification:
    """Classify the rows of X (NaN allowed) with a fitted model.

    Examples
    --------
    >>> import numpy as np
    >>> from koers.stats.lpa import LatentProfileModel
    >>> rng = np.random.default_rng(1)
    >>> X = np.vstack([rng.normal(0, 1, (50, 2)), rng.normal(6, 1, (50, 2))])
    >>> c = classify(LatentProfileModel(2, n_starts=2, random_state=0).fit(X), X)
    >>> c.counts.tolist(), bool(c.entropy > 0.95)
    ([50, 50], True)
    """
    post = model.predict_proba(X)
    return classification_from_posteriors(post)


def classification_from_posteriors(posteriors: ArrayLike) -> Classification:
    """The diagnostics of :class:`Classification` from a posterior matrix ``(n, k)``."""
    post = np.asarray(posteriors, dtype=np.float64)
    k = post.shape[1]
    modal = np.asarray(np.argmax(post, axis=1))
    return Classification(
        posteriors=post,
        modal=modal,
        counts=np.bincount(modal, minlength=k),
        shares=post.mean(axis=0),
        average_posterior=average_posterior_probabilities(post),
        entropy=relative_entropy(post),
    )


def average_posterior_probabilities(posteriors: ArrayLike) -> FloatArray:
    """Mean posterior probability of each profile among the rows assigned to it (modal)."""
    post = np.asarray(posteriors, dtype=np.float64)
    k = post.shape[1]
    modal = np.argmax(post, axis=1)
    counts = np.bincount(modal, minlength=k).astype(np.float64)
    totals = np.bincount(modal, weights=post[np.arange(post.shape[0]), modal], minlength=k)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(counts > 0, totals / np.maximum(counts, 1.0), np.nan)


def relative_entropy(posteriors: ArrayLike) -> float | None:
    """Relative entropy ``1 − Σ_i Σ_k −p_ik ln p_ik / (n ln k)``; None for one profile.

    1 means every row is classified with certainty, 0 that every row is
    equally likely to be in each profile (Ramaswamy, DeSarbo, Reibstein &
    Robinson 1993, the "Entropy" of Mplus and tidyLPA).
    """
    post = np.asarray(posteriors, dtype=np.float64)
    n, k = post.shape
    if k < 2:
        return None
    positive = post > 0
    terms = np.zeros_like(post)
    terms[positive] = post[positive] * np.log(post[positive])
    return float(1.0 + terms.sum() / (n * np.log(k)))


def smallest_share(posteriors: ArrayLike) -> float:
    """Smallest mean posterior probability of a profile."""
    return float(np.asarray(posteriors, dtype=np.float64).mean(axis=0).min())
