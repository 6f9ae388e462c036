"""Latent profile analysis (LPA): Gaussian mixtures with tidyLPA's six covariance structures.

Pure numpy/scipy.  The pieces:

- :class:`LatentProfileModel` — one model with ``k`` profiles, fitted by EM
  (several starts, variance floor, missing values by full-information ML).
- :func:`estimate_profiles` — fits a range of ``k``, with fit indices,
  warnings, an optional bootstrap likelihood-ratio test and the selection
  rule (:func:`select_n_profiles`).
- :func:`classify` — posterior probabilities, modal profile, average
  posterior probability per profile.
- :func:`standardize` and :func:`match_profiles` — name fitted profiles after
  reference signatures (the Career Compass profiles).

Methods, formulas and references: ``docs/lpa.md``.
"""

from __future__ import annotations

from koers.stats.lpa.blrt import BLRTResult, bootstrap_lrt
from koers.stats.lpa.classification import (
    Classification,
    average_posterior_probabilities,
    classification_from_posteriors,
    classify,
    relative_entropy,
    smallest_share,
)
from koers.stats.lpa.covariance import MODELS, ModelSpec, n_parameters
from koers.stats.lpa.matching import (
    ProfileMatch,
    match_profiles,
    norm_standardization,
    standardize,
)
from koers.stats.lpa.model import LatentProfileModel, LPAConvergenceWarning
from koers.stats.lpa.selection import (
    ProfileEstimates,
    ProfileFit,
    estimate_profiles,
    information_criteria,
    select_n_profiles,
    summarize_fit,
)

__all__ = [
    "MODELS",
    "BLRTResult",
    "Classification",
    "LPAConvergenceWarning",
    "LatentProfileModel",
    "ModelSpec",
    "ProfileEstimates",
    "ProfileFit",
    "ProfileMatch",
    "average_posterior_probabilities",
    "bootstrap_lrt",
    "classification_from_posteriors",
    "classify",
    "estimate_profiles",
    "information_criteria",
    "match_profiles",
    "n_parameters",
    "norm_standardization",
    "relative_entropy",
    "select_n_profiles",
    "smallest_share",
    "standardize",
    "summarize_fit",
]
