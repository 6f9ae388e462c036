"""Income and contract hours controlled for covariates (Compass report chapter 6,
sub-question 1, and chapter 7): by gender, and by technical job × technical sector.
The rules every analysis follows are in :mod:`koers.stats.research.analyses`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from koers.stats.disclosure import check_k
from koers.stats.research.common import (
    GROUP4_LABELS,
    GROUPS4,
    _column_shares,
    _complete,
    _counts,
    _crosstab,
    _crosstab_table,
    _fit_linear,
    _fit_ordinal,
    _float,
    _is,
    _odds_statistic,
    _str,
    _two_levels,
)
from koers.stats.research.core import (
    HBO_CODES,
    WO_CODES,
    Refusal,
    Result,
    Table,
    fmt,
    fmt_p,
    labels,
    methods,
    organisations,
    require_n,
    statistic,
)

# --- 7 Income and hours by gender --------------------------------------------------------


def _wo(frame: pd.DataFrame) -> pd.Series:
    level = frame["education_level"].astype(float)
    return pd.Series(
        np.where(level.isin(WO_CODES), 1.0, np.where(level.isin(HBO_CODES), 0.0, np.nan)),
        index=frame.index,
    )


def income_hours_by_gender(frame: pd.DataFrame, k: int) -> Result:
    """Income and contract hours of women and men (chapter 7, "Inkomen en contract").

    Income is asked in seven bands: an ordinal outcome whose band widths are not equal, so
    it is modelled with a proportional-odds (cumulative logit) regression, controlled for
    age, contract hours and education (hbo = 1–2, wo = 3–5 of ``education_level``; other
    codes left out). exp(β) for women is the cumulative odds ratio of being in a higher
    band than men at equal age, hours and education. Contract hours are (nearly) continuous,
    so they get ordinary least squares controlled for age, income band and education, as the
    report controls hours for age and income; the coefficient is the adjusted difference in
    hours with its t interval. An OLS on the band number is given beside the ordinal model
    as a readable scale (adjusted difference in bands).
    """
    k = check_k(k)
    key = "income-hours-by-gender"
    data = frame.assign(wo=_wo(frame))
    data = _complete(data, ["gender", "age", "contract_hours", "income_band", "wo"])
    data = _two_levels(data, "gender", ("woman", "man"), k)
    n = len(data)
    require_n(n, 10 * k, "volledige antwoorden", "complete answers")
    woman = _is(data, "gender", "woman")
    age = data["age"].to_numpy(dtype=float)
    hours = data["contract_hours"].to_numpy(dtype=float)
    band = data["income_band"].to_numpy(dtype=float)
    wo = data["wo"].to_numpy(dtype=float)
    if len(np.unique(band)) < 2:
        raise Refusal(
            "Iedereen valt in dezelfde inkomensklasse.", "Everyone is in one income band."
        )
    ordinal = _fit_ordinal(
        band, np.column_stack([woman, age, hours, wo]), ["woman", "age", "contract_hours", "wo"]
    )
    if not ordinal.converged:
        raise Refusal(
            "Het ordinale model convergeerde niet.", "The ordinal model did not converge."
        )
    odds, lo, hi, p_inc = ordinal.odds_ratio("woman")
    ones = np.ones(n)
    linear = _fit_linear(
        band,
        np.column_stack([ones, woman, age, hours, wo]),
        ["Intercept", "woman", "age", "contract_hours", "wo"],
    )
    band_diff = linear.coefficient("woman")
    hours_fit = _fit_linear(
        hours,
        np.column_stack([ones, woman, age, band, wo]),
        ["Intercept", "woman", "age", "income_band", "wo"],
    )
    hours_diff = hours_fit.coefficient("woman")
    stats = [
        statistic(
            "cumulative odds ratio of a higher income band, women vs men",
            odds,
            (lo, hi),
            p_inc,
            "odds ratio",
            odds,
        ),
        statistic(
            "adjusted difference in income band (OLS), women − men",
            band_diff[0],
            (band_diff[3], band_diff[4]),
            band_diff[2],
            "bands",
            band_diff[0],
        ),
        statistic(
            "adjusted difference in contract hours (OLS), women − men",
            hours_diff[0],
            (hours_diff[3], hours_diff[4]),
            hours_diff[2],
            "hours",
            hours_diff[0],
        ),
    ]
    # Bands are 1..7, or group medians such as 1.5 where the dataset coarsened them.
    band_levels = [float(b) for b in np.unique(band)]
    bands = _crosstab(
        data["income_band"].astype(float), _str(data, "gender"), band_levels, ["woman", "man"]
    )
    bands.index = pd.Index([f"{b:g}" for b in band_levels])
    table = _crosstab_table(
        bands,
        k,
        {"nl": "Inkomensklasse naar gender", "en": "Income band by gender"},
        row_name={"nl": "inkomensklasse", "en": "income band"},
    )
    series = [
        {"name": labels(g), "values": band_shares}
        for g, band_shares in zip(["woman", "man"], _column_shares(bands, k), strict=True)
    ]
    hours_rows: list[list[object]] = []
    for g in ("woman", "man"):
        values = hours[(_str(data, "gender") == g).to_numpy()]
        hours_rows.append(
            [
                g,
                labels(g),
                len(values),
                round(float(values.mean()), 2),
                round(float(values.std(ddof=1)), 2),
            ]
        )
    tables = [
        table,
        Table(
            title={"nl": "Contracturen naar gender", "en": "Contract hours by gender"},
            columns=["gender", "label", "n", "mean", "sd"],
            rows=hours_rows,
        ),
    ]
    nw, nm = int(woman.sum()), int(n - woman.sum())
    return Result(
        key=key,
        n=n,
        tables=tables,
        statistics=stats,
        methods=methods(
            f"Gegevens van {n} respondenten ({nw} vrouwen, {nm} mannen) uit "
            f"{organisations(data, 'nl')} organisaties met een inkomensklasse, leeftijd, "
            "contracturen en opleidingsniveau (hbo of wo). "
            f"Inkomen ({len(band_levels)} klassen) is "
            "geanalyseerd met een ordinale logistische regressie (proportional odds) met "
            "gender, leeftijd, contracturen en opleidingsniveau: vrouwen hebben een "
            f"cumulatieve oddsratio van {fmt(odds, 2, 'nl')} (95 %-interval {fmt(lo, 2, 'nl')} "
            f"tot {fmt(hi, 2, 'nl')}, {fmt_p(p_inc, 'nl')}) op een hogere klasse. Contracturen "
            "zijn geanalyseerd met een lineaire regressie (OLS) met gender, leeftijd, "
            f"inkomensklasse en opleidingsniveau: verschil vrouwen − mannen "
            f"{fmt(hours_diff[0], 2, 'nl')} uur (95 %-interval {fmt(hours_diff[3], 2, 'nl')} tot "
            f"{fmt(hours_diff[4], 2, 'nl')}, {fmt_p(hours_diff[2], 'nl')}).",
            f"Data of {n} respondents ({nw} women, {nm} men) from {organisations(data, 'en')} "
            "organisations with an income band, age, contract hours and education (hbo or "
            "wo). "
            f"Income ({len(band_levels)} bands) was analysed with an ordinal logistic "
            "(proportional-odds) "
            "regression on gender, age, contract hours and education: women have a "
            f"cumulative odds ratio of {fmt(odds, 2, 'en')} (95 % interval {fmt(lo, 2, 'en')} to "
            f"{fmt(hi, 2, 'en')}, {fmt_p(p_inc, 'en')}) of a higher band. Contract hours were "
            "analysed with a linear regression (OLS) on gender, age, income band and "
            f"education: difference women − men {fmt(hours_diff[0], 2, 'en')} hours (95 % "
            f"interval {fmt(hours_diff[3], 2, 'en')} to {fmt(hours_diff[4], 2, 'en')}, "
            f"{fmt_p(hours_diff[2], 'en')}).",
        ),
        chart={
            "kind": "grouped_bar",
            "categories": [str(b) for b in bands.index],
            "series": series,
            "unit": "%",
        },
    )


# --- 6.1 Income and hours by job × sector -------------------------------------------------


def income_hours_by_job_sector(frame: pd.DataFrame, k: int) -> Result:
    """Income and contract hours by technical job × technical sector (chapter 6,
    sub-question 1, "Technische sector x beroep", and note 7).

    Income band: proportional-odds regression on a non-technical job, the technical sector,
    their interaction, and the controls of the report (contract hours, age, education hbo/wo,
    gender woman); cumulative odds ratios with Wald intervals (report: the technical sector
    and a non-technical job pay more, interaction p = .200). Contract hours: OLS on job ×
    sector with income band, age, education and gender; the adjusted mean hours of the four
    groups at the covariates' means (report: 38.5 hours for a technical job outside the
    technical sector, 35.9 for neither) and the interaction's t-test. Each of the four
    groups needs k people.
    """
    k = check_k(k)
    key = "income-hours-by-job-sector"
    data = frame.assign(wo=_wo(frame))
    data = _complete(
        data,
        [
            "function_group",
            "sector_objective",
            "gender",
            "age",
            "contract_hours",
            "income_band",
            "wo",
        ],
    )
    data = data[
        _str(data, "function_group").isin(["technical", "non_technical"])
        & _str(data, "sector_objective").isin(["technical_sector", "non_technical_sector"])
    ]
    n = len(data)
    cells = _crosstab(
        _str(data, "sector_objective") + "|" + _str(data, "function_group"),
        pd.Series(["all"] * n, index=data.index),
        ["|".join(g) for g in GROUPS4],
        ["all"],
    )
    if int(_counts(cells).min()) < k:
        raise Refusal(
            f"Te weinig gegevens: elk van de vier groepen functie × sector heeft minstens {k} "
            "mensen met een inkomensklasse en contracturen nodig.",
            f"Too few data: each of the four groups job × sector needs at least {k} people "
            "with an income band and contract hours.",
        )
    require_n(n, 10 * k, "volledige antwoorden", "complete answers")
    job = _is(data, "function_group", "non_technical")
    sector = _is(data, "sector_objective", "technical_sector")
    woman = _is(data, "gender", "woman")
    age = _float(data["age"].to_numpy())
    hours = _float(data["contract_hours"].to_numpy())
    band = _float(data["income_band"].to_numpy())
    wo = _float(data["wo"].to_numpy())
    if len(np.unique(band)) < 2:
        raise Refusal(
            "Iedereen valt in dezelfde inkomensklasse.", "Everyone is in one income band."
        )
    names = [
        "non_technical_job",
        "technical_sector",
        "non_technical_job:technical_sector",
        "contract_hours",
        "age",
        "wo",
        "woman",
    ]
    x = np.column_stack([job, sector, job * sector, hours, age, wo, woman])
    keep = [j for j in range(x.shape[1]) if np.ptp(x[:, j]) > 0]
    ordinal = _fit_ordinal(band, x[:, keep], [names[j] for j in keep])
    if not ordinal.converged:
        raise Refusal(
            "Het ordinale model convergeerde niet.", "The ordinal model did not converge."
        )
    stats: list[dict[str, object]] = []
    for name in [v for v in names[:3] if v in ordinal.names]:
        stats.append(_odds_statistic(f"income: cumulative odds ratio, {name}", ordinal, name))
    hnames = [
        "Intercept",
        "non_technical_job",
        "technical_sector",
        "non_technical_job:technical_sector",
        "income_band",
        "age",
        "wo",
        "woman",
    ]
    xh = np.column_stack([np.ones(n), job, sector, job * sector, band, age, wo, woman])
    hkeep = [j for j in range(xh.shape[1]) if j == 0 or np.ptp(xh[:, j]) > 0]
    hfit = _fit_linear(hours, xh[:, hkeep], [hnames[j] for j in hkeep])
    inter = hfit.coefficient("non_technical_job:technical_sector")
    stats.append(
        statistic(
            "hours: interaction non-technical job × technical sector (OLS)",
            inter[0],
            (inter[3], inter[4]),
            inter[2],
            "hours",
            inter[0],
        )
    )
    means = np.array([xh[:, hnames.index(name)].mean() for name in hfit.names])
    rows: list[list[object]] = []
    adjusted: list[float | None] = []
    group_counts = _counts(cells)[:, 0]
    for i, (s, f) in enumerate(GROUPS4):
        w = means.copy()
        j_, s_ = float(f == "non_technical"), float(s == "technical_sector")
        for name, value in (
            ("non_technical_job", j_),
            ("technical_sector", s_),
            ("non_technical_job:technical_sector", j_ * s_),
        ):
            w[hfit.index(name)] = value
        est, _, _, low, high = hfit.contrast(w)
        raw = hours[(job == j_) & (sector == s_)]
        rows.append(
            [
                f"{s} × {f}",
                GROUP4_LABELS[(s, f)],
                int(group_counts[i]),
                round(float(raw.mean()), 2),
                round(est, 2),
                round(low, 2),
                round(high, 2),
            ]
        )
        adjusted.append(round(est, 2))
    tables = [
        Table(
            title={
                "nl": "Contracturen naar functie × sector",
                "en": "Contract hours by job × sector",
            },
            columns=[
                "code",
                "group",
                "n",
                "mean hours",
                "adjusted mean hours",
                "95% CI low",
                "95% CI high",
            ],
            rows=rows,
        )
    ]
    o_job = ordinal.odds_ratio("non_technical_job")
    o_sec = ordinal.odds_ratio("technical_sector")
    o_int = ordinal.odds_ratio("non_technical_job:technical_sector")
    return Result(
        key=key,
        n=n,
        tables=tables,
        statistics=stats,
        methods=methods(
            f"Van {n} respondenten uit {organisations(data, 'nl')} organisaties met een "
            "bekende functie, sector, inkomensklasse, contracturen, leeftijd, opleidingsniveau "
            "(hbo of wo) en gender. Inkomen: ordinale logistische regressie (proportional "
            "odds) op functie, sector en hun interactie, gecontroleerd voor contracturen, "
            "leeftijd, opleidingsniveau en gender; cumulatieve oddsratio niet-technische "
            f"functie {fmt(o_job[0], 2, 'nl')} ({fmt(o_job[1], 2, 'nl')}–"
            f"{fmt(o_job[2], 2, 'nl')}), technische sector {fmt(o_sec[0], 2, 'nl')} "
            f"({fmt(o_sec[1], 2, 'nl')}–{fmt(o_sec[2], 2, 'nl')}), interactie "
            f"{fmt_p(o_int[3], 'nl')}. Contracturen: lineaire regressie (OLS) op functie × "
            "sector, gecontroleerd voor inkomensklasse, leeftijd, opleidingsniveau en gender; "
            f"interactie {fmt(inter[0], 2, 'nl')} uur ({fmt_p(inter[2], 'nl')}); de "
            "gecorrigeerde gemiddelden gelden bij het gemiddelde van de controlevariabelen.",
            f"Of {n} respondents from {organisations(data, 'en')} organisations with a known "
            "job, sector, income band, contract hours, age, education (hbo or wo) and gender. "
            "Income: ordinal logistic (proportional-odds) regression on job, sector and their "
            "interaction, controlled for contract hours, age, education and gender; cumulative "
            f"odds ratio non-technical job {fmt(o_job[0], 2, 'en')} ({fmt(o_job[1], 2, 'en')}–"
            f"{fmt(o_job[2], 2, 'en')}), technical sector {fmt(o_sec[0], 2, 'en')} "
            f"({fmt(o_sec[1], 2, 'en')}–{fmt(o_sec[2], 2, 'en')}), interaction "
            f"{fmt_p(o_int[3], 'en')}. Contract hours: linear regression (OLS) on job × "
            "sector, controlled for income band, age, education and gender; interaction "
            f"{fmt(inter[0], 2, 'en')} hours ({fmt_p(inter[2], 'en')}); the adjusted means hold "
            "at the mean of the control variables.",
        ),
        chart={
            "kind": "bar",
            "categories": [GROUP4_LABELS[g]["en"] for g in GROUPS4],
            "categories_nl": [GROUP4_LABELS[g]["nl"] for g in GROUPS4],
            "series": [
                {
                    "name": {"nl": "gecorrigeerde gemiddelde uren", "en": "adjusted mean hours"},
                    "values": adjusted,
                }
            ],
            "unit": {"nl": "uur", "en": "hours"},
        },
    )
