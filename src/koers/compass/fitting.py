"""A campaign's own profile model: when the data can carry one, how many profiles, which names.

Django-free (numpy + ``koers.stats.lpa``); ``services.fit_campaign_model`` stores the result.
Every rule here is backed by the recovery study ``bench/lpa_recovery_bench.py``
(docs/compass.md, "When a campaign fits its own model"):

* **Scale.** Facet scores are put on the scale the signatures are defined on: the
  scale midpoint 4 and 1.25 points per unit (``(x − 4) / 1.25``), never the campaign's own
  mean and SD, so a homogeneous organisation's profiles are still recognised.
* **Rows.** Every finished response with at least half of its facet scores is used;
  missing facet scores are handled by full-information maximum likelihood in the engine.
* **Enough data.** A model is fitted only from ``MIN_ROWS_TO_FIT`` usable responses: below
  that the study does not recover six planted profiles reliably.
* **Number of profiles.** Sequential bootstrap likelihood-ratio tests (BLRT) of k − 1
  against k profiles, from k = 2 up: K is the last k whose test has p ≤
  ``BLRT_ALPHA`` (and whose smallest profile holds at least 5 % without a collapsed
  variance). BIC's and SABIC's choices are computed beside it and shown.
* **Names.** Each fitted profile takes the name of the signature it correlates with
  best (r ≥ ``MIN_MATCH_QUALITY``), not a one-to-one assignment: a profile split in two
  keeps its own name twice instead of taking a missing profile's name. A profile whose
  second-best signature also correlates at least ``MERGED_MIN_QUALITY`` matches both and
  is named as both.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from koers.compass.profiles import (
    MIN_MATCH_QUALITY,
    SCALE_MIDPOINT,
    SCALE_UNIT,
    ProfileSet,
    load_profiles,
)
from koers.stats.lpa import (
    LatentProfileModel,
    ProfileEstimates,
    bootstrap_lrt,
    estimate_profiles,
    select_n_profiles,
)
from koers.stats.lpa.matching import similarity_matrix

# From bench/lpa_recovery_bench.py: the smallest n of the study at which, with items as
# noisy as the demo's, every simulated campaign finds six profiles (K = 6 by the BLRT),
# names all six, names at least 90 % of respondents after their own profile and has a
# mean ARI of at least 0.9 (docs/compass.md, "When a campaign fits its own model").
MIN_ROWS_TO_FIT = 750
MIN_FACET_SHARE = 0.5  # a response is used when it has at least half of its facet scores
MAX_PROFILES = 8
BLRT_ALPHA = 0.05
BLRT_BOOTSTRAPS = 19  # p = (1 + #exceeding) / 20: an exact 5 % Monte Carlo test
BLRT_STARTS = 1  # EM starts of the k-profile fit per bootstrap draw (plus one split start)
MIN_SHARE = 0.05
MERGED_MIN_QUALITY = 0.7  # second signature's r from which a profile is named as both


def to_signature_scale(scores: np.ndarray) -> np.ndarray:
    """Facet scores (1–7) on the signatures' scale: ``(x − 4) / 1.25``."""
    return (np.asarray(scores, dtype=float) - SCALE_MIDPOINT) / SCALE_UNIT


def usable_rows(scores: np.ndarray) -> np.ndarray:
    """Rows with at least ``MIN_FACET_SHARE`` of their facet scores (boolean mask)."""
    x = np.atleast_2d(np.asarray(scores, dtype=float))
    return np.asarray((~np.isnan(x)).mean(axis=1) >= MIN_FACET_SHARE)


def can_fit(n_usable: int) -> bool:
    """The documented rule: enough usable responses for the data to carry a fitted model."""
    return n_usable >= MIN_ROWS_TO_FIT


@dataclass(frozen=True)
class KChoice:
    """The number of profiles by the BLRT, with BIC's and SABIC's choices beside it."""

    k: int
    bic_k: int | None
    sabic_k: int | None
    blrt_p: dict[int, float] = field(default_factory=dict)


def _eligible(estimates: ProfileEstimates, k: int) -> bool:
    fit = next((f for f in estimates.fits if f.n_profiles == k), None)
    return (
        fit is not None
        and fit.fitted
        and not fit.collapsed
        and fit.smallest_share is not None
        and fit.smallest_share >= MIN_SHARE
    )


def choose_k(
    x: np.ndarray,
    estimates: ProfileEstimates,
    *,
    n_bootstrap: int = BLRT_BOOTSTRAPS,
    bootstrap_starts: int = BLRT_STARTS,
    alpha: float = BLRT_ALPHA,
    seed: int = 1,
    progress: Callable[[], None] | None = None,
) -> KChoice:
    """Sequential BLRT: K is the last k (from 2 up) whose k − 1 vs k test has p ≤ ``alpha``.

    Testing stops at the first non-significant test, or when k is not eligible (smallest
    profile under 5 % or a collapsed variance), so K = 1 when even two profiles are not
    supported. Each test has its own seed derived from ``seed`` and k.
    """
    fits = estimates.fits
    bic_k = select_n_profiles(fits, min_share=MIN_SHARE)
    sabic_k = _lowest(estimates, "sabic")
    p_values: dict[int, float] = {}
    chosen = 1
    for k in sorted(estimates.models):
        if k < 2:
            continue
        if k - 1 not in estimates.models or not _eligible(estimates, k):
            break
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = bootstrap_lrt(
                estimates.models[k - 1],
                estimates.models[k],
                x,
                n_bootstrap=n_bootstrap,
                n_starts=bootstrap_starts,
                random_state=np.random.SeedSequence([seed, k]).generate_state(1)[0],
                progress=progress,
            )
        p_values[k] = result.p_value
        if result.p_value > alpha:
            break
        chosen = k
    return KChoice(chosen, bic_k, sabic_k, p_values)


def _lowest(estimates: ProfileEstimates, index: str) -> int | None:
    eligible = [f for f in estimates.fits if _eligible(estimates, f.n_profiles)]
    if not eligible:
        return None
    return int(min(eligible, key=lambda f: (getattr(f, index), f.n_profiles)).n_profiles)


@dataclass(frozen=True)
class ProfileName:
    """The name of one fitted profile.

    ``keys``: the reference profiles it matches (none: a neutral name; two: it matches
    both, e.g. two profiles this model does not separate). ``part``/``parts``: a
    profile split over several fitted profiles carries its name on each, numbered.
    """

    index: int
    keys: tuple[str, ...]
    quality: float
    qualities: tuple[float, ...]
    part: int = 0
    parts: int = 1

    @property
    def key(self) -> str:
        """The team scan's key: ``"nerd"``, ``"nerd+einzelganger"`` or ``""``."""
        return "+".join(self.keys)

    def label(self, profiles: ProfileSet, language: str) -> str:
        if not self.keys:
            letter = chr(ord("A") + self.index)
            return f"Profile {letter}" if language == "en" else f"Profiel {letter}"
        names = [profiles.get(k).name[language] for k in self.keys]
        joined = names[0] if len(names) == 1 else (" & ".join(names))
        if self.parts > 1:
            return f"{joined} ({self.part}/{self.parts})"
        return joined

    def as_entry(self, profiles: ProfileSet) -> dict[str, Any]:
        """The stored form (``ProfileModel.names`` / ``ProfileAssignment.names``)."""
        return {
            "key": self.key,
            "keys": list(self.keys),
            "nl": self.label(profiles, "nl"),
            "en": self.label(profiles, "en"),
            "quality": self.quality,
            "qualities": list(self.qualities),
            "part": self.part,
            "parts": self.parts,
        }


def name_profiles(
    means: np.ndarray, facets: Sequence[str], profiles: ProfileSet | None = None
) -> list[ProfileName]:
    """Names for fitted means given on the signatures' scale (see module docstring)."""
    profiles = profiles or load_profiles()
    sim = similarity_matrix(
        np.atleast_2d(np.asarray(means, dtype=float)), profiles.signatures(facets)
    )
    sim = np.where(np.isnan(sim), -1.0, sim)
    raw: list[tuple[tuple[str, ...], float, tuple[float, ...]]] = []
    for row in sim:
        order = np.argsort(-row, kind="stable")
        best, second = int(order[0]), int(order[1])
        keys: tuple[str, ...]
        if len(sim) == 1:
            # One profile is the population itself: its means are everyone's average,
            # which resembles some signature by chance (issue 13: a one-profile model
            # named "Innovator" told everyone they were one). It takes no name.
            raw.append(((), float(row[best]), ()))
        elif row[best] < MIN_MATCH_QUALITY:
            raw.append(((), float(row[best]), ()))
        elif row[second] >= MERGED_MIN_QUALITY:
            keys = (profiles.keys[best], profiles.keys[second])
            raw.append((keys, float(row[best]), (float(row[best]), float(row[second]))))
        else:
            keys = (profiles.keys[best],)
            raw.append((keys, float(row[best]), (float(row[best]),)))
    counts: dict[tuple[str, ...], int] = {}
    for named, _, _ in raw:
        if named:
            counts[named] = counts.get(named, 0) + 1
    seen: dict[tuple[str, ...], int] = {}
    out = []
    for i, (named, quality, qualities) in enumerate(raw):
        parts = counts.get(named, 1) if named else 1
        seen[named] = seen.get(named, 0) + 1
        part = seen[named] if parts > 1 else 0
        out.append(ProfileName(i, named, quality, qualities, part, parts))
    return out


def missing_profiles(names: Sequence[ProfileName], profiles: ProfileSet) -> list[str]:
    """Reference profiles no fitted profile is named after (merged into another, or absent)."""
    named = {k for n in names for k in n.keys}
    return [k for k in profiles.keys if k not in named]


@dataclass(frozen=True)
class FittedProfiles:
    estimates: ProfileEstimates
    choice: KChoice
    model: LatentProfileModel
    names: list[ProfileName]
    n_rows: int


def fit_profiles(
    scores: np.ndarray,
    facets: Sequence[str],
    *,
    n_starts: int = 10,
    seed: int = 1,
    n_bootstrap: int = BLRT_BOOTSTRAPS,
    max_profiles: int = MAX_PROFILES,
    progress: Callable[[int, int], None] | None = None,
) -> FittedProfiles:
    """Fit K = 1..``max_profiles`` on the usable rows (signature scale), choose K, name them.

    Does not apply :func:`can_fit`: the caller decides (the study calls this at every n).
    """
    x = to_signature_scale(scores)
    x = x[usable_rows(x)]

    def fitting(done: int, total: int) -> None:  # first half of the progress: the EM fits
        if progress is not None:
            progress(done * 1000 // max(total, 1), 2000)

    estimates = estimate_profiles(
        x,
        range(1, max_profiles + 1),
        model=1,
        n_starts=n_starts,
        random_state=seed,
        progress=fitting,
    )
    # Second half: the bootstrap draws (at most one test per k; testing may stop earlier).
    total, done = max(1, max_profiles - 1) * n_bootstrap, 0

    def tick() -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(1000 + min(done, total) * 1000 // total, 2000)

    choice = choose_k(x, estimates, n_bootstrap=n_bootstrap, seed=seed, progress=tick)
    model = estimates.models[choice.k]
    names = name_profiles(np.asarray(model.means_), facets)
    return FittedProfiles(estimates, choice, model, names, int(x.shape[0]))
