"""Identification and the career scales by profile (Compass report chapter 6,
sub-questions 4 and 5): an ANCOVA per scale with adjusted means and letter groupings.
The rules every analysis follows are in :mod:`koers.stats.research.analyses`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from koers.stats.disclosure import check_k
from koers.stats.research import models as m
from koers.stats.research.common import (
    _complete,
    _design,
    _float,
    _is,
    _left_out_note,
    _str,
)
from koers.stats.research.core import (
    LEVELS,
    Refusal,
    Result,
    Table,
    fmt,
    fmt_p,
    keep_levels,
    label,
    labels,
    methods,
    organisations,
    significant,
    statistic,
)

SCALES = ("identification", "career_clarity", "career_commitment", "career_exploration")
SCALE_LABELS = {
    "identification": {"nl": "verbondenheid met de professie", "en": "professional identification"},
    "career_clarity": {"nl": "carrière-duidelijkheid", "en": "career clarity"},
    "career_commitment": {"nl": "carrière-commitment", "en": "career commitment"},
    "career_exploration": {"nl": "carrière-exploratie", "en": "career exploration"},
}


# --- 6.4 / 6.5 Identification and career scales by profile (ANCOVA) ----------------------


def _covariates(data: pd.DataFrame, outcome: str) -> tuple[list[str], dict[str, np.ndarray]]:
    """The report's controls: identification for age, contract hours and function (note 8);
    the career scales also for gender, institution and study cluster (note 9)."""
    cov = {
        "age": data["age"].to_numpy(dtype=float),
        "contract_hours": data["contract_hours"].to_numpy(dtype=float),
        "non_technical_job": (_str(data, "function_group") == "non_technical").to_numpy(
            dtype=float
        ),
    }
    if outcome != "identification":
        cov["woman"] = _is(data, "gender", "woman")
        cov["wo"] = _is(data, "institution_type", "wo")
        cov["cluster_2"] = _is(data, "study_cluster", "cluster_2")
    return list(cov), cov


@dataclass(frozen=True)
class Ancova:
    """One ANCOVA: ``emm[p] = (mean, se, ci_low, ci_high)``; ``pairs`` rows are
    ``(a, b, difference, ci_low, ci_high, p, p_holm)``; ``sizes[p]`` the rows per profile."""

    n: int
    f: m.FTest
    emm: dict[str, tuple[float, float, float, float]]
    pairs: list[tuple[str, str, float, float, float, float, float]]
    letters: dict[str, str]
    covariates: list[str]
    sizes: dict[str, int]
    fit: m.LinearFit


def ancova(data: pd.DataFrame, outcome: str, profiles: list[str], alpha: float = 0.05) -> Ancova:
    """One ANCOVA ``outcome ~ profile + covariates`` by OLS: the profile F-test (Type II,
    nested models), partial η² with its interval, adjusted means at the covariates' means
    with t intervals, every pairwise difference of adjusted means with Holm-adjusted
    p-values, and the compact letter display (groups sharing a letter do not differ)."""
    names, cov = _covariates(data, outcome)
    y = _float(data[outcome].to_numpy())
    n = len(y)
    prof = _str(data, "profile").to_numpy()
    dummies = [(prof == p).astype(float) for p in profiles[1:]]
    x_cov = np.column_stack([cov[c] for c in names]) if names else np.empty((n, 0))
    keep = [j for j in range(x_cov.shape[1]) if np.ptp(x_cov[:, j]) > 0]
    names = [names[j] for j in keep]
    x_cov = x_cov[:, keep]
    ones = np.ones((n, 1))
    full_names = ["Intercept", *[f"profile[{p}]" for p in profiles[1:]], *names]
    x_full, kept = _design(np.column_stack([ones, *dummies, x_cov]), full_names)
    if kept[: len(profiles)] != full_names[: len(profiles)]:
        raise Refusal(
            "In deze gegevens valt het profiel samen met een controlevariabele; het effect "
            "van het profiel is dan niet te schatten.",
            "In these data the profile coincides with a control variable, so its effect "
            "cannot be estimated.",
        )
    x_cov = x_full[:, len(profiles) :]
    names = kept[len(profiles) :]
    full_names = kept
    full = m.fit_linear(y, x_full, full_names)
    reduced = m.fit_linear(y, np.column_stack([ones, x_cov]), ["Intercept", *names])
    ftest = m.nested_f(full, reduced)
    means_cov = x_cov.mean(axis=0)
    emm: dict[str, tuple[float, float, float, float]] = {}
    weights: dict[str, np.ndarray] = {}
    for i, p in enumerate(profiles):
        w = np.zeros(len(full_names))
        w[0] = 1.0
        if i > 0:
            w[i] = 1.0
        w[len(profiles) :] = means_cov
        weights[p] = w
        est, se, _, low, high = full.contrast(w)
        emm[p] = (est, se, low, high)
    pairs = [(a, b) for i, a in enumerate(profiles) for b in profiles[i + 1 :]]
    raw = [full.contrast(weights[a] - weights[b]) for a, b in pairs]
    adjusted = m.holm_adjust([r[2] for r in raw])
    different = {frozenset(pair) for pair, p in zip(pairs, adjusted, strict=True) if p < alpha}
    order = sorted(profiles, key=lambda p: -emm[p][0])
    letters = m.compact_letters(order, different)
    return Ancova(
        n=n,
        f=ftest,
        emm=emm,
        pairs=[
            (a, b, r[0], r[3], r[4], r[2], p)
            for (a, b), r, p in zip(pairs, raw, adjusted, strict=True)
        ],
        letters=letters,
        covariates=names,
        sizes={p: int(np.sum(prof == p)) for p in profiles},
        fit=full,
    )


def scales_by_profile(frame: pd.DataFrame, k: int) -> Result:
    """Identification (sub-question 4) and the three career scales (sub-question 5) by
    profile, controlled for covariates: an ANCOVA per scale (OLS with profile dummies and
    the covariates; identification controlled for age, contract hours and function as in
    the report's note 8, the career scales also for gender, institution wo and study
    cluster 2, note 9).

    Reported: the F-test of the profile (nested models), partial η² with its
    noncentral-F interval, adjusted means at the covariates' means (as SPSS EMMEANS and R
    emmeans) with 95 % intervals, all pairwise differences with Holm-adjusted p-values and
    the compact letter display: profiles sharing a letter do not differ significantly
    (Holm, α = .05), as the letters over the report's bars.
    """
    k = check_k(k)
    key = "scales-by-profile"
    base = _complete(frame, ["profile", "age", "contract_hours", "function_group"])
    base = base[_str(base, "function_group").isin(["technical", "non_technical"])]
    results: dict[str, Ancova] = {}
    left_out: dict[str, list[str]] = {}
    for outcome in SCALES:
        needed = (
            ["gender", "institution_type", "study_cluster"] if outcome != "identification" else []
        )
        data = _complete(base, [outcome, *needed])
        data, profiles, small = keep_levels(data, "profile", k)
        left_out[outcome] = small
        if len(profiles) < 2 or len(data) < 10 * k:
            continue
        results[outcome] = ancova(data, outcome, profiles)
    if not results:
        raise Refusal(
            f"Te weinig gegevens: geen schaal heeft twee profielen van {k} of meer mensen "
            f"met alle controlevariabelen (en minstens {10 * k} mensen samen).",
            f"Too few data: no scale has two profiles of {k} or more people with every "
            f"control variable (and at least {10 * k} people together).",
        )
    tables: list[Table] = []
    stats: list[dict[str, object]] = []
    pair_rows: list[list[object]] = []
    series = []
    all_profiles = [p for p in LEVELS["profile"] if any(p in r.emm for r in results.values())]
    parts_nl, parts_en = [], []
    for outcome, r in results.items():
        emm, letters, ftest = r.emm, r.letters, r.f
        rows = [
            [
                p,
                labels(p),
                r.sizes[p],
                round(emm[p][0], 3),
                round(emm[p][2], 3),
                round(emm[p][3], 3),
                letters[p],
            ]
            for p in sorted(emm, key=lambda q: -emm[q][0])
        ]
        tables.append(
            Table(
                title={
                    "nl": f"Gecorrigeerde gemiddelden: {SCALE_LABELS[outcome]['nl']}",
                    "en": f"Adjusted means: {SCALE_LABELS[outcome]['en']}",
                },
                columns=[
                    "profile",
                    "label",
                    "n",
                    "adjusted mean",
                    "95% CI low",
                    "95% CI high",
                    "letters",
                ],
                rows=rows,
                note=_left_out_note({"profile": left_out[outcome]}, k),
            )
        )
        s = statistic(
            f"F profile on {outcome} (df {ftest.df_num}, {ftest.df_den})",
            ftest.f,
            None,
            ftest.p,
            "partial eta squared",
            ftest.partial_eta_squared,
        )
        s["effect_size_ci"] = [round(ftest.eta_ci[0], 4), round(ftest.eta_ci[1], 4)]
        s["n"] = r.n
        stats.append(s)
        for a, b, diff, low, high, p_raw, p_holm in r.pairs:
            pair_rows.append(
                [
                    outcome,
                    a,
                    b,
                    round(diff, 3),
                    round(low, 3),
                    round(high, 3),
                    significant(p_raw),
                    significant(p_holm),
                ]
            )
        series.append(
            {
                "name": SCALE_LABELS[outcome],
                "values": [round(emm[p][0], 3) if p in emm else None for p in all_profiles],
            }
        )
        cov = ", ".join(r.covariates)
        parts_nl.append(
            f"{SCALE_LABELS[outcome]['nl']} (n = {r.n}; gecontroleerd voor {cov}): "
            f"F({ftest.df_num}, {ftest.df_den}) = {fmt(ftest.f, 2, 'nl')}, "
            f"{fmt_p(ftest.p, 'nl')}, partiële η² = {fmt(ftest.partial_eta_squared, 3, 'nl')}"
        )
        parts_en.append(
            f"{SCALE_LABELS[outcome]['en']} (n = {r.n}; controlled for {cov}): "
            f"F({ftest.df_num}, {ftest.df_den}) = {fmt(ftest.f, 2, 'en')}, "
            f"{fmt_p(ftest.p, 'en')}, partial η² = {fmt(ftest.partial_eta_squared, 3, 'en')}"
        )
    tables.append(
        Table(
            title={"nl": "Paarsgewijze verschillen (Holm)", "en": "Pairwise differences (Holm)"},
            columns=[
                "scale",
                "profile a",
                "profile b",
                "difference a − b",
                "95% CI low",
                "95% CI high",
                "p",
                "p (Holm)",
            ],
            rows=pair_rows,
        )
    )
    n = max(r.n for r in results.values())
    return Result(
        key=key,
        n=n,
        tables=tables,
        statistics=stats,
        methods=methods(
            f"Respondenten met een profiel uit {organisations(base, 'nl')} organisaties. "
            "Per schaal een covariantieanalyse (ANCOVA: lineaire regressie met het profiel en "
            "de controlevariabelen). Het effect van het profiel is getoetst met een F-toets "
            "(geneste modellen, type II); de gecorrigeerde gemiddelden gelden bij het "
            "gemiddelde van de controlevariabelen. Alle paren profielen zijn vergeleken met "
            "t-toetsen, Holm-gecorrigeerd; profielen met dezelfde letter verschillen niet "
            "significant (α = 0,05). " + "; ".join(parts_nl) + ".",
            f"Respondents with a profile from {organisations(base, 'en')} organisations. "
            "Per scale an analysis of covariance (ANCOVA: linear regression on the profile and "
            "the control variables). The profile's effect was tested with an F-test (nested "
            "models, type II); the adjusted means hold at the mean of the control variables. "
            "Every pair of profiles was compared with t-tests, Holm-adjusted; profiles sharing "
            "a letter do not differ significantly (α = .05). " + "; ".join(parts_en) + ".",
        ),
        chart={
            "kind": "grouped_bar",
            "categories": [label(p, "en") for p in all_profiles],
            "categories_nl": [label(p, "nl") for p in all_profiles],
            "series": series,
            "unit": {"nl": "(schaal 1–7)", "en": "(scale 1–7)"},
        },
    )
