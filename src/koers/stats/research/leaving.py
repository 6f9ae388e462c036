"""Intention to leave the technical sector by profile, with odds ratios (Compass report
chapter 6, sub-question 6, and chapter 7), and gender stigma by sector × gender ratio and
its relation to career clarity (chapter 7).
The rules every analysis follows are in :mod:`koers.stats.research.analyses`.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from koers.stats.disclosure import check_k
from koers.stats.research import models as m
from koers.stats.research.common import (
    _chi_statistic,
    _complete,
    _crosstab,
    _fit_linear,
    _fit_logit,
    _float,
    _is,
    _odds_statistic,
    _share_table,
    _str,
    _two_levels,
)
from koers.stats.research.core import (
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
    require_n,
    statistic,
)

# --- 6.6 / 7 Intention to leave the technical sector -------------------------------------


def leave_by_profile(frame: pd.DataFrame, k: int) -> Result:
    """Intention to leave (``future_sector == "non_technical"``) among people who work in
    the technical sector (objective), by profile, with the odds ratios for study cluster
    and function (sub-question 6, step 2, note 10: 2.7 for cluster 2, 5.9 for a
    non-technical job) and for women (chapter 7).

    "Unsure" answers are left out (the report's question had two answers). Per profile the
    share intending to leave with a Wilson interval and Pearson's χ² of profile × intention.
    Logistic regression (maximum likelihood): model 1 ``leave ~ cluster_2 + non_technical
    job`` gives the odds ratios with Wald 95 % intervals; model 2 adds the profile
    (likelihood-ratio test); model 3 adds gender to model 1. Refused unless at least k
    people intend to leave and k to stay.
    """
    k = check_k(k)
    key = "leave-by-profile"
    data = frame[_str(frame, "sector_objective") == "technical_sector"]
    data = data[_str(data, "future_sector").isin(["technical", "non_technical"])]
    data = _complete(data, ["study_cluster", "function_group"])
    data = _two_levels(data, "study_cluster", ("cluster_1", "cluster_2"), k)
    data = _two_levels(data, "function_group", ("technical", "non_technical"), k)
    leave = _is(data, "future_sector", "non_technical")
    n = len(data)
    if leave.sum() < k or (n - leave.sum()) < k:
        raise Refusal(
            f"Te weinig gegevens: minstens {k} mensen moeten willen vertrekken en {k} willen "
            "blijven.",
            f"Too few data: at least {k} people must intend to leave and {k} to stay.",
        )
    ones = np.ones(n)
    cluster2 = _is(data, "study_cluster", "cluster_2")
    nontech = _is(data, "function_group", "non_technical")
    model1 = _fit_logit(
        leave,
        np.column_stack([ones, cluster2, nontech]),
        ["Intercept", "cluster_2", "non_technical_job"],
    )
    if not model1.converged:
        raise Refusal(
            "Het logistische model convergeerde niet (scheiding).",
            "The logistic model did not converge (separation).",
        )
    stats: list[dict[str, object]] = []
    for name, text in (
        ("cluster_2", "odds ratio leaving, cluster 2 vs cluster 1"),
        ("non_technical_job", "odds ratio leaving, non-technical vs technical job"),
    ):
        stats.append(_odds_statistic(text, model1, name))
    tables: list[Table] = []
    chart: dict[str, object] | None = None
    or_c = model1.odds_ratio("cluster_2")
    or_f = model1.odds_ratio("non_technical_job")
    profile_nl = profile_en = ""
    with_profile = data.dropna(subset=["profile"])
    with_profile, profiles, small = keep_levels(with_profile, "profile", k)
    if len(profiles) >= 2:
        pl = _str(with_profile, "future_sector") == "non_technical"
        table = _crosstab(
            _str(with_profile, "profile"),
            pl.map({True: "leave", False: "stay"}),
            profiles,
            ["stay", "leave"],
        )
        chi = m.chi_square(table.to_numpy())
        share_table, shares = _share_table(
            table,
            k,
            {
                "nl": "Wil buiten de technische sector werken, per profiel",
                "en": "Intends to work outside the technical sector, by profile",
            },
            key_column="profile",
            keys=profiles,
            name=labels,
            share="leave",
            left_out=small,
        )
        tables.append(share_table)
        stats.append(_chi_statistic(f"chi-square profile × intention (df {chi.df})", chi))
        chart = {
            "kind": "bar",
            "categories": [label(p, "en") for p in profiles],
            "categories_nl": [label(p, "nl") for p in profiles],
            "series": [{"name": {"nl": "vertrekken", "en": "leave"}, "values": shares}],
            "unit": "%",
        }
        y2 = _float(pl.to_numpy())
        n2 = len(y2)
        c2 = _is(with_profile, "study_cluster", "cluster_2")
        f2 = _is(with_profile, "function_group", "non_technical")
        prof = _str(with_profile, "profile").to_numpy()
        dummies = [(prof == p).astype(float) for p in profiles[1:]]
        base2 = _fit_logit(y2, np.column_stack([np.ones(n2), c2, f2]), ["Intercept", "c", "f"])
        full2 = _fit_logit(
            y2,
            np.column_stack([np.ones(n2), c2, f2, *dummies]),
            ["Intercept", "c", "f", *[f"profile[{p}]" for p in profiles[1:]]],
        )
        if base2.converged and full2.converged and len(full2.names) > len(base2.names):
            from scipy import stats as sps

            lr = 2 * (full2.loglik - base2.loglik)
            df = len(full2.names) - len(base2.names)
            p_lr = float(sps.chi2.sf(lr, df))
            stats.append(
                statistic(
                    f"likelihood-ratio test of profile, controlled for cluster "
                    f"and function (df {df})",
                    lr,
                    None,
                    p_lr,
                )
            )
            for p in [v for v in profiles[1:] if f"profile[{v}]" in full2.names]:
                stats.append(
                    _odds_statistic(
                        f"odds ratio leaving, {p} vs {profiles[0]} (controlled)",
                        full2,
                        f"profile[{p}]",
                    )
                )
            # n − n2 are the people without a (large enough) profile: name n2 only when
            # that difference is no small group.
            count = f"{n2} " if not 0 < n - n2 < k else ""
            profile_nl = (
                f" Het profiel is toegevoegd voor de {count}mensen met een profiel "
                f"(likelihood-ratiotoets χ²({df}) = {fmt(lr, 2, 'nl')}, {fmt_p(p_lr, 'nl')}; "
                f"referentie {profiles[0]})."
            )
            profile_en = (
                f" The profile was added for the {count}people with a profile (likelihood-ratio "
                f"test χ²({df}) = {fmt(lr, 2, 'en')}, {fmt_p(p_lr, 'en')}; reference "
                f"{profiles[0]})."
            )
    gender_nl = gender_en = ""
    gdata = data[_str(data, "gender").isin(["woman", "man"])]
    gcount = _str(gdata, "gender").value_counts()
    if all(int(gcount.get(g, 0)) >= k for g in ("woman", "man")):
        yg = _is(gdata, "future_sector", "non_technical")
        xg = np.column_stack(
            [
                np.ones(len(gdata)),
                _is(gdata, "study_cluster", "cluster_2"),
                _is(gdata, "function_group", "non_technical"),
                _is(gdata, "gender", "woman"),
            ]
        )
        model3 = _fit_logit(yg, xg, ["Intercept", "cluster_2", "non_technical_job", "woman"])
        if model3.converged:
            orr, low, high, pp = model3.odds_ratio("woman")
            stats.append(
                statistic(
                    "odds ratio leaving, women vs men (controlled for cluster and function)",
                    orr,
                    (low, high),
                    pp,
                    "odds ratio",
                    orr,
                )
            )
            gender_nl = (
                f" Gender is apart toegevoegd (n = {len(gdata)}): oddsratio vrouwen "
                f"{fmt(orr, 2, 'nl')} ({fmt(low, 2, 'nl')}–{fmt(high, 2, 'nl')})."
            )
            gender_en = (
                f" Gender was added separately (n = {len(gdata)}): odds ratio women "
                f"{fmt(orr, 2, 'en')} ({fmt(low, 2, 'en')}–{fmt(high, 2, 'en')})."
            )
    return Result(
        key=key,
        n=n,
        tables=tables,
        statistics=stats,
        methods=methods(
            f"Van {n} respondenten uit {organisations(data, 'nl')}"
            " organisaties die (objectief) in de "
            "technische sector werken en zeiden in de toekomst binnen of buiten de technische "
            "sector te willen werken ('weet ik nog niet' weggelaten), is de kans op 'buiten' "
            "geanalyseerd met logistische regressie (maximale aannemelijkheid, Wald-intervallen "
            f"van 95 %). Oddsratio cluster 2 tegenover cluster 1: {fmt(or_c[0], 2, 'nl')} "
            f"({fmt(or_c[1], 2, 'nl')}–{fmt(or_c[2], 2, 'nl')}); niet-technische tegenover "
            f"technische functie: {fmt(or_f[0], 2, 'nl')} ({fmt(or_f[1], 2, 'nl')}–"
            f"{fmt(or_f[2], 2, 'nl')}).{profile_nl}{gender_nl}",
            f"Of {n} respondents from {organisations(data, 'en')} organisations who work "
            "(objectively) in the technical sector and said whether they want to work inside "
            "or outside it in future ('don't know yet' left out), the chance of 'outside' was "
            "analysed with logistic regression (maximum likelihood, 95 % Wald intervals). Odds "
            f"ratio cluster 2 versus cluster 1: {fmt(or_c[0], 2, 'en')} ({fmt(or_c[1], 2, 'en')}–"
            f"{fmt(or_c[2], 2, 'en')}); non-technical versus technical job: "
            f"{fmt(or_f[0], 2, 'en')} ({fmt(or_f[1], 2, 'en')}–{fmt(or_f[2], 2, 'en')})."
            f"{profile_en}{gender_en}",
        ),
        chart=chart,
    )


# --- 7 Gender stigma by sector × gender ratio, and career clarity ------------------------


def gender_stigma(frame: pd.DataFrame, k: int) -> Result:
    """Gender stigma of women and men by sector and gender ratio at work, and its relation
    to career clarity (chapter 7, "Hoe vrouwen reageren op de masculiene werkcultuur").

    Model A (OLS): ``gender_stigma ~ woman × technical_sector + woman × gender_ratio``
    (gender ratio 1 = almost only men … 5 = almost only women, as a linear term). The
    interactions say whether the sector and the ratio matter more for women than for men.
    Model B (OLS): ``career_clarity ~ gender_stigma × woman + age + contract_hours``; the
    slope of stigma for women and for men are linear contrasts. t intervals throughout;
    the effect size is the coefficient itself (scale points on the 1–7 scale).
    """
    k = check_k(k)
    key = "gender-stigma"
    data = _complete(frame, ["gender", "gender_stigma", "sector_objective", "gender_ratio"])
    data = _two_levels(data, "gender", ("woman", "man"), k)
    data = _two_levels(data, "sector_objective", ("technical_sector", "non_technical_sector"), k)
    n = len(data)
    require_n(n, 10 * k, "volledige antwoorden", "complete answers")
    woman = _is(data, "gender", "woman")
    tech = _is(data, "sector_objective", "technical_sector")
    ratio = data["gender_ratio"].to_numpy(dtype=float)
    stigma = data["gender_stigma"].to_numpy(dtype=float)
    cells = _crosstab(
        _str(data, "sector_objective"),
        _str(data, "gender"),
        ["technical_sector", "non_technical_sector"],
        ["woman", "man"],
    )
    if int(cells.to_numpy().min()) < k:
        raise Refusal(
            f"Te weinig gegevens: elke combinatie van gender en sector heeft minstens {k} "
            "mensen nodig.",
            f"Too few data: every combination of gender and sector needs at least {k} people.",
        )
    names_a = [
        "Intercept",
        "woman",
        "technical_sector",
        "gender_ratio",
        "woman:technical_sector",
        "woman:gender_ratio",
    ]
    xa = np.column_stack([np.ones(n), woman, tech, ratio, woman * tech, woman * ratio])
    fit_a = _fit_linear(stigma, xa, names_a)
    stats: list[dict[str, object]] = []
    for name in fit_a.names[1:]:
        est, _, p, low, high = fit_a.coefficient(name)
        stats.append(statistic(f"stigma model: {name}", est, (low, high), p, "coefficient", est))
    # Cell means table (counts pass the disclosure rule; every cell has ≥ k already).
    rows: list[list[object]] = []
    series: dict[str, list[float | None]] = {"woman": [], "man": []}
    for s in ("technical_sector", "non_technical_sector"):
        for g in ("woman", "man"):
            sel = (_str(data, "sector_objective") == s).to_numpy() & (
                _str(data, "gender") == g
            ).to_numpy()
            values = stigma[sel]
            mean = float(values.mean())
            se = (
                float(values.std(ddof=1) / math.sqrt(len(values)))
                if len(values) > 1
                else float("nan")
            )
            from scipy import stats as sps

            q = float(sps.t.ppf(0.975, len(values) - 1)) if len(values) > 1 else float("nan")
            rows.append(
                [
                    labels(s),
                    labels(g),
                    len(values),
                    round(mean, 3),
                    round(mean - q * se, 3),
                    round(mean + q * se, 3),
                ]
            )
            series[g].append(round(mean, 3))
    tables = [
        Table(
            title={
                "nl": "Genderstigma naar sector en gender",
                "en": "Gender stigma by sector and gender",
            },
            columns=["sector", "gender", "n", "mean", "95% CI low", "95% CI high"],
            rows=rows,
        )
    ]
    clarity_nl = clarity_en = ""
    cdata = _complete(data, ["career_clarity", "age", "contract_hours"])
    cgender = _str(cdata, "gender").value_counts()
    if all(int(cgender.get(g, 0)) >= k for g in ("woman", "man")) and len(cdata) >= 10 * k:
        nb = len(cdata)
        w = _is(cdata, "gender", "woman")
        st = cdata["gender_stigma"].to_numpy(dtype=float)
        names_b = [
            "Intercept",
            "gender_stigma",
            "woman",
            "gender_stigma:woman",
            "age",
            "contract_hours",
        ]
        xb = np.column_stack(
            [
                np.ones(nb),
                st,
                w,
                st * w,
                cdata["age"].to_numpy(dtype=float),
                cdata["contract_hours"].to_numpy(dtype=float),
            ]
        )
        fit_b = _fit_linear(cdata["career_clarity"].to_numpy(dtype=float), xb, names_b)
        inter = fit_b.coefficient("gender_stigma:woman")
        stats.append(
            statistic(
                "clarity model: gender_stigma:woman",
                inter[0],
                (inter[3], inter[4]),
                inter[2],
                "coefficient",
                inter[0],
            )
        )
        men = fit_b.coefficient("gender_stigma")
        # The fitted names: _design may have dropped a constant or collinear covariate.
        women_w = np.zeros(len(fit_b.names))
        women_w[fit_b.index("gender_stigma")] = women_w[fit_b.index("gender_stigma:woman")] = 1.0
        women = fit_b.contrast(women_w)
        stats.append(
            statistic(
                "slope of career clarity on stigma, women",
                women[0],
                (women[3], women[4]),
                women[2],
                "coefficient",
                women[0],
            )
        )
        stats.append(
            statistic(
                "slope of career clarity on stigma, men",
                men[0],
                (men[3], men[4]),
                men[2],
                "coefficient",
                men[0],
            )
        )
        clarity_nl = (
            f" Model B (n = {nb}): carrière-duidelijkheid op genderstigma × gender, "
            "gecontroleerd voor leeftijd en contracturen; helling van stigma voor vrouwen "
            f"{fmt(women[0], 2, 'nl')} ({fmt(women[3], 2, 'nl')} tot {fmt(women[4], 2, 'nl')}), "
            f"voor mannen {fmt(men[0], 2, 'nl')} ({fmt(men[3], 2, 'nl')} tot "
            f"{fmt(men[4], 2, 'nl')})."
        )
        clarity_en = (
            f" Model B (n = {nb}): career clarity on gender stigma × gender, controlled for "
            f"age and contract hours; slope of stigma for women {fmt(women[0], 2, 'en')} "
            f"({fmt(women[3], 2, 'en')} to {fmt(women[4], 2, 'en')}), for men "
            f"{fmt(men[0], 2, 'en')} ({fmt(men[3], 2, 'en')} to {fmt(men[4], 2, 'en')})."
        )
    it = fit_a.coefficient("woman:technical_sector")
    ir = fit_a.coefficient("woman:gender_ratio")
    return Result(
        key=key,
        n=n,
        tables=tables,
        statistics=stats,
        methods=methods(
            f"Model A (lineaire regressie, OLS, n = {n} vrouwen en mannen uit "
            f"{organisations(data, 'nl')}"
            " organisaties): genderstigma op gender × sector (objectief) "
            "en gender × man/vrouw-verhouding op het werk (1 = bijna alleen mannen tot 5 = "
            "bijna alleen vrouwen). Interactie vrouw × technische sector "
            f"{fmt(it[0], 2, 'nl')} (95 %-interval {fmt(it[3], 2, 'nl')} tot "
            f"{fmt(it[4], 2, 'nl')}, {fmt_p(it[2], 'nl')}); vrouw × verhouding "
            f"{fmt(ir[0], 2, 'nl')} ({fmt(ir[3], 2, 'nl')} tot {fmt(ir[4], 2, 'nl')}, "
            f"{fmt_p(ir[2], 'nl')}). R² = {fmt(fit_a.r_squared, 3, 'nl')}.{clarity_nl}",
            f"Model A (linear regression, OLS, n = {n} women and men from "
            f"{organisations(data, 'en')} organisations): gender stigma on gender × sector "
            "(objective) and gender × gender ratio at work (1 = almost only men to 5 = almost "
            f"only women). Interaction woman × technical sector {fmt(it[0], 2, 'en')} (95 % "
            f"interval {fmt(it[3], 2, 'en')} to {fmt(it[4], 2, 'en')}, {fmt_p(it[2], 'en')}); "
            f"woman × ratio {fmt(ir[0], 2, 'en')} ({fmt(ir[3], 2, 'en')} to "
            f"{fmt(ir[4], 2, 'en')}, {fmt_p(ir[2], 'en')}). R² = "
            f"{fmt(fit_a.r_squared, 3, 'en')}.{clarity_en}",
        ),
        chart={
            "kind": "grouped_bar",
            "categories": [label("technical_sector", "en"), label("non_technical_sector", "en")],
            "categories_nl": [label("technical_sector", "nl"), label("non_technical_sector", "nl")],
            "series": [
                {"name": labels("woman"), "values": series["woman"]},
                {"name": labels("man"), "values": series["man"]},
            ],
            "unit": {"nl": "(schaal 1–7)", "en": "(scale 1–7)"},
        },
    )
