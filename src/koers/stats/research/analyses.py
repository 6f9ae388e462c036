"""The analyses of chapters 6 and 7 of the Compass report, one function each.

Source: "Mind the Gap!" (University of Twente and Saxion, 2016),
``shared/seeds/001_8baae205fba51f5d.txt``, chapter 6 (sub-questions 1, 3, 4, 5 and 6) and
chapter 7 (women in technology). Each function takes the pooled frame (the contract's
columns) and the minimum group size k and returns a :class:`Result`; it raises
:class:`Refusal` when the groups are too small (:func:`run_analysis` turns that into a
refused Result). Counts in tables pass :func:`koers.stats.disclosure.suppress_table`
(rules 1–2 on every row and column); a percentage, mean or residual of a hidden count is
hidden with it. Groups (levels) with fewer than k people are left out of a model and the
table note says so, without their size.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from koers.stats.disclosure import check_k
from koers.stats.research import models as m
from koers.stats.research.core import (
    HBO_CODES,
    LEVELS,
    NOT_APPLICABLE,
    WO_CODES,
    Refusal,
    Table,
    cell,
    disclosed_crosstab,
    fmt,
    fmt_p,
    keep_levels,
    label,
    labels,
    methods,
    organisations,
    require_n,
    significant,
    statistic,
    total_cell,
)
from koers.stats.research.core import Result as Result

SCALES = ("identification", "career_clarity", "career_commitment", "career_exploration")
SCALE_LABELS = {
    "identification": {"nl": "verbondenheid met de professie", "en": "professional identification"},
    "career_clarity": {"nl": "carrière-duidelijkheid", "en": "career clarity"},
    "career_commitment": {"nl": "carrière-commitment", "en": "career commitment"},
    "career_exploration": {"nl": "carrière-exploratie", "en": "career exploration"},
}
GROUPS4 = (
    ("technical_sector", "technical"),
    ("technical_sector", "non_technical"),
    ("non_technical_sector", "technical"),
    ("non_technical_sector", "non_technical"),
)
GROUP4_LABELS = {
    ("technical_sector", "technical"): {
        "nl": "technische sector / technische functie",
        "en": "technical sector / technical job",
    },
    ("technical_sector", "non_technical"): {
        "nl": "technische sector / niet-technische functie",
        "en": "technical sector / non-technical job",
    },
    ("non_technical_sector", "technical"): {
        "nl": "niet-technische sector / technische functie",
        "en": "non-technical sector / technical job",
    },
    ("non_technical_sector", "non_technical"): {
        "nl": "niet-technische sector / niet-technische functie",
        "en": "non-technical sector / non-technical job",
    },
}


# --- Designs that fit the data ---------------------------------------------------------------
# The pooled dataset is coarsened for k-anonymity (koers.research.dataset), so a covariate
# can be constant (everyone in one age half) or collinear with another (education merged
# into one code) in the rows an analysis keeps. The fits below leave such columns out, left
# to right (the effect of interest comes first), and note them; run_analysis names them in
# the methods paragraph, or refuses when the effect of interest itself went.
_DROPPED: ContextVar[list[str] | None] = ContextVar("_DROPPED", default=None)


def _design(
    x: npt.NDArray[np.float64], names: Sequence[str]
) -> tuple[npt.NDArray[np.float64], list[str]]:
    """The columns of ``x`` that are not constant (the intercept excepted) and add rank."""
    kept: list[int] = []
    for j, name in enumerate(names):
        column = x[:, j]
        if name != "Intercept" and (not np.all(np.isfinite(column)) or np.ptp(column) == 0):
            continue
        trial = [*kept, j]
        if np.linalg.matrix_rank(x[:, trial]) == len(trial):
            kept.append(j)
    dropped = [names[j] for j in range(len(names)) if j not in kept]
    found = _DROPPED.get()
    if found is not None:
        found.extend(d for d in dropped if d not in found)
    return x[:, kept], [names[j] for j in kept]


def _fit_linear(
    y: npt.NDArray[np.float64], x: npt.NDArray[np.float64], names: Sequence[str]
) -> m.LinearFit:
    x, kept = _design(x, names)
    return m.fit_linear(y, x, kept)


def _fit_logit(
    y: npt.NDArray[np.float64], x: npt.NDArray[np.float64], names: Sequence[str]
) -> m.LogitFit:
    x, kept = _design(x, names)
    return m.fit_logit(y, x, kept)


def _fit_ordinal(
    y: npt.NDArray[np.float64], x: npt.NDArray[np.float64], names: Sequence[str]
) -> m.OrdinalFit:
    x, kept = _design(x, names)
    return m.fit_ordinal(y, x, kept)


def _counts(table: pd.DataFrame) -> npt.NDArray[np.int64]:
    return table.fillna(0).to_numpy(dtype=np.int64)


def _float(values: object) -> npt.NDArray[np.float64]:
    return np.asarray(values, dtype=np.float64)


def _is(frame: pd.DataFrame, column: str, value: str) -> npt.NDArray[np.float64]:
    """1.0 where ``column`` equals ``value``, else 0.0 (missing counts as not equal)."""
    return np.asarray((frame[column].astype("object") == value).to_numpy(), dtype=np.float64)


def _crosstab(
    rows: pd.Series,
    columns: pd.Series,
    row_levels: Sequence[object],
    column_levels: Sequence[object],
) -> pd.DataFrame:
    """Counts of ``rows`` × ``columns`` over the given levels (others ignored), zeros kept.
    A numpy replacement for ``pd.crosstab(...).reindex(...)``, ten times faster."""
    r_index = {v: i for i, v in enumerate(row_levels)}
    c_index = {v: i for i, v in enumerate(column_levels)}
    r = np.array([r_index.get(v, -1) for v in rows.astype("object")], dtype=np.intp)
    c = np.array([c_index.get(v, -1) for v in columns.astype("object")], dtype=np.intp)
    ok = (r >= 0) & (c >= 0)
    flat = np.bincount(
        r[ok] * len(column_levels) + c[ok], minlength=len(row_levels) * len(column_levels)
    )
    return pd.DataFrame(
        flat.reshape(len(row_levels), len(column_levels)),
        index=[str(v) for v in row_levels],
        columns=[str(v) for v in column_levels],
    )


def _complete(frame: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    return frame.dropna(subset=list(columns))


def _str(frame: pd.DataFrame, column: str) -> pd.Series:
    return frame[column].astype("object")


def _left_out_note(small: dict[str, list[str]], k: int) -> dict[str, str] | None:
    parts = {c: v for c, v in small.items() if v}
    if not parts:
        return None
    nl = "; ".join(f"{c}: {', '.join(label(x, 'nl') for x in v)}" for c, v in parts.items())
    en = "; ".join(f"{c}: {', '.join(label(x, 'en') for x in v)}" for c, v in parts.items())
    return {
        "nl": f"Weggelaten omdat de groep kleiner is dan {k}: {nl}.",
        "en": f"Left out because the group is smaller than {k}: {en}.",
    }


def _two_levels(frame: pd.DataFrame, column: str, levels: Sequence[str], k: int) -> pd.DataFrame:
    """Rows in ``levels`` of ``column``; refuses unless every level has at least k rows."""
    rows = frame[_str(frame, column).isin(levels)]
    counts = _str(rows, column).value_counts()
    if any(int(counts.get(v, 0)) < k for v in levels):
        names_nl = " en ".join(label(v, "nl") for v in levels)
        names_en = " and ".join(label(v, "en") for v in levels)
        raise Refusal(
            f"Te weinig gegevens: deze analyse vergelijkt {names_nl}, en elke groep heeft "
            f"minstens {k} mensen nodig.",
            f"Too few data: this analysis compares {names_en}, and each group needs at "
            f"least {k} people.",
        )
    return rows


def _crosstab_table(
    counts: pd.DataFrame,
    k: int,
    title: dict[str, str],
    *,
    residuals: np.ndarray | None = None,
    row_name: dict[str, str],
    language_labels: bool = True,
    note: dict[str, str] | None = None,
    row_labels: dict[str, dict[str, str]] | None = None,
) -> Table:
    """Counts with column percentages (and adjusted residuals), hidden cells None; each
    row named in both languages (``row_labels`` or :func:`labels`)."""
    row_labels = row_labels or {}
    counts, hidden = disclosed_crosstab(counts, k)
    columns: list[str | dict[str, str]] = [row_name]
    for c in counts.columns:
        columns += [f"{c}: n", f"{c}: %"] + ([f"{c}: residual"] if residuals is not None else [])
    rows: list[list[object]] = []
    values = _counts(counts)
    totals = values.sum(axis=0)
    for i, r in enumerate(counts.index):
        line: list[object] = [row_labels.get(str(r)) or labels(r)]
        for j in range(values.shape[1]):
            h = bool(hidden.iloc[i, j])
            n = int(values[i, j])
            tot = int(totals[j])
            line.append(cell(n, h))
            line.append(cell(100.0 * n / tot if tot and tot >= k else None, h, 1))
            if residuals is not None:
                line.append(cell(float(residuals[i, j]), h, 2))
        rows.append(line)
    total_line: list[object] = [{"nl": "totaal", "en": "total"}]
    for j in range(values.shape[1]):
        total_line += [total_cell(int(totals[j]), k), 100.0 if totals[j] >= k else None]
        if residuals is not None:
            total_line.append(NOT_APPLICABLE)
    rows.append(total_line)
    return Table(title=title, columns=columns, rows=rows, note=note)


def _share_table(
    counts: pd.DataFrame,
    k: int,
    title: dict[str, str],
    *,
    key_column: str,
    keys: Sequence[str],
    name: Callable[[str], dict[str, str]],
    share: str,
    left_out: list[str],
) -> tuple[Table, list[float | None]]:
    """Per row of a count table (rows ``keys``): key, name, n, the count in column ``share``,
    its share and the Wilson 95 % interval in percent, all hidden (None) with their row when
    a cell of the row is below ``k``; and the shares for a bar chart (None where hidden).
    ``left_out`` are the levels of ``key_column`` dropped as smaller than ``k`` (a note)."""
    _, hidden = disclosed_crosstab(counts, k)
    values = _counts(counts)
    column = list(counts.columns).index(share)
    rows: list[list[object]] = []
    shares: list[float | None] = []
    for i, key in enumerate(keys):
        hit, total = int(values[i, column]), int(values[i].sum())
        h = bool(hidden.iloc[i].any())
        low, high = m.wilson(hit, total)
        rows.append(
            [
                key,
                name(key),
                total,
                cell(hit, h),
                cell(100 * hit / total, h, 1),
                cell(100 * low, h, 1),
                cell(100 * high, h, 1),
            ]
        )
        shares.append(None if h else round(100 * hit / total, 1))
    columns: list[str | dict[str, str]] = [
        key_column,
        "label",
        "n",
        f"{share}: n",
        f"{share}: %",
        "95% CI low",
        "95% CI high",
    ]
    note = _left_out_note({key_column: left_out}, k)
    return Table(title=title, columns=columns, rows=rows, note=note), shares


def _odds_statistic(name: str, fit: m.LogitFit | m.OrdinalFit, term: str) -> dict[str, object]:
    """A model's odds ratio for ``term`` as a statistic, with its Wald interval and p."""
    odds, low, high, p = fit.odds_ratio(term)
    return statistic(name, odds, (low, high), p, "odds ratio", odds)


def _column_shares(counts: pd.DataFrame, k: int) -> list[list[float | None]]:
    """Per column of a count table, each row's percentage of the column total (one
    decimal), None where the cell is hidden: the series of a grouped bar chart."""
    _, hidden = disclosed_crosstab(counts, k)
    values = _counts(counts)
    totals = values.sum(axis=0)
    return [
        [
            None if hidden.iloc[i, j] else round(100 * int(values[i, j]) / int(totals[j]), 1)
            for i in range(len(counts))
        ]
        for j in range(values.shape[1])
    ]


def _chi_statistic(name: str, chi: m.ChiSquare, effect: str = "Cramér's V") -> dict[str, object]:
    """The χ² test as a statistic: χ², p, Cramér's V and V's interval."""
    s = statistic(name, chi.statistic, None, chi.p, effect, chi.cramers_v)
    s["effect_size_ci"] = [round(chi.v_ci[0], 4), round(chi.v_ci[1], 4)]
    return s


# --- 6.1 Technical function × technical sector -------------------------------------------


def function_by_sector(frame: pd.DataFrame, k: int) -> Result:
    """Technical function × technical sector: the four groups of the report's figure
    "Beroep x Sector" (37 % technical job in the technical sector, 31 % non-technical job in
    the technical sector, 12 % technical job outside it, 20 % neither).

    Shares with Wilson intervals; Pearson's chi-square test of independence of function and
    sector on the 2 × 2 table (no continuity correction), φ (= Cramér's V on a 2 × 2) with
    its noncentral-χ² interval and the odds ratio with Woolf's interval. Chapter 7 compares
    women and men on the same four groups: a 4 × 2 chi-square when both have k people.
    """
    k = check_k(k)
    key = "function-by-sector"
    data = _complete(frame, ["function_group", "sector_objective"])
    data = _two_levels(data, "function_group", ("technical", "non_technical"), k)
    data = _two_levels(data, "sector_objective", ("technical_sector", "non_technical_sector"), k)
    n = len(data)
    require_n(n, 4 * k, "mensen met functie en sector", "people with a job and a sector")
    group = list(zip(_str(data, "sector_objective"), _str(data, "function_group"), strict=True))
    counts = {g: sum(1 for x in group if x == g) for g in GROUPS4}
    four = pd.DataFrame({"n": [counts[g] for g in GROUPS4]}, index=[" / ".join(g) for g in GROUPS4])
    _, hidden = disclosed_crosstab(four, k)
    rows: list[list[object]] = []
    shares: list[float | None] = []
    for i, g in enumerate(GROUPS4):
        h = bool(hidden.iloc[i, 0])
        low, high = m.wilson(counts[g], n)
        share = 100.0 * counts[g] / n
        rows.append(
            [
                " × ".join(g),
                GROUP4_LABELS[g],
                cell(counts[g], h),
                cell(share, h, 1),
                cell(100 * low, h, 1),
                cell(100 * high, h, 1),
            ]
        )
        shares.append(None if h else round(share, 1))
    tables = [
        Table(
            title={"nl": "Functie × sector: vier groepen", "en": "Job × sector: four groups"},
            columns=["code", "group", "n", "%", "95% CI low", "95% CI high"],
            rows=rows,
        )
    ]
    two = np.array(
        [[counts[GROUPS4[0]], counts[GROUPS4[1]]], [counts[GROUPS4[2]], counts[GROUPS4[3]]]]
    )
    chi = m.chi_square(two)
    a, b, c, d = (float(x) for x in two.ravel())
    # The share and the odds ratio are functions of the cells: only when no cell is hidden.
    any_hidden = bool(hidden.to_numpy().any())
    stats: list[dict[str, object]] = []
    if not any_hidden:
        stats.append(
            statistic(
                "share technical job in technical sector",
                counts[GROUPS4[0]] / n,
                m.wilson(counts[GROUPS4[0]], n),
            )
        )
    stats.append(_chi_statistic("chi-square function × sector (df 1)", chi, "phi (Cramér's V)"))
    if min(a, b, c, d) > 0 and not any_hidden:
        log_or = math.log(a * d / (b * c))
        se = math.sqrt(1 / a + 1 / b + 1 / c + 1 / d)
        stats.append(
            statistic(
                "odds ratio technical job, technical vs non-technical sector",
                math.exp(log_or),
                (math.exp(log_or - 1.959964 * se), math.exp(log_or + 1.959964 * se)),
                chi.p,
                "odds ratio",
                math.exp(log_or),
            )
        )
    gender_nl = gender_en = ""
    genders = data[_str(data, "gender").isin(["woman", "man"])]
    gcounts = _str(genders, "gender").value_counts()
    if all(int(gcounts.get(g, 0)) >= k for g in ("woman", "man")):
        combined = _str(genders, "sector_objective") + "|" + _str(genders, "function_group")
        table = _crosstab(
            combined, _str(genders, "gender"), ["|".join(g) for g in GROUPS4], ["woman", "man"]
        )
        table.index = pd.Index([GROUP4_LABELS[g]["en"] for g in GROUPS4])
        gchi = m.chi_square(table.to_numpy())
        tables.append(
            _crosstab_table(
                table,
                k,
                {"nl": "Vier groepen naar gender", "en": "Four groups by gender"},
                residuals=gchi.residuals,
                row_name={"nl": "groep", "en": "group"},
                row_labels={GROUP4_LABELS[g]["en"]: GROUP4_LABELS[g] for g in GROUPS4},
            )
        )
        stats.append(_chi_statistic("chi-square four groups × gender (df 3)", gchi))
        gender_nl = (
            f" Vrouwen en mannen (n = {gchi.n}) zijn vergeleken met een χ²-toets op de vier "
            f"groepen × gender (χ²(3) = {fmt(gchi.statistic, 2, 'nl')}, {fmt_p(gchi.p, 'nl')}, "
            f"V = {fmt(gchi.cramers_v, 2, 'nl')})."
        )
        gender_en = (
            f" Women and men (n = {gchi.n}) were compared with a χ² test of the four groups × "
            f"gender (χ²(3) = {fmt(gchi.statistic, 2, 'en')}, {fmt_p(gchi.p, 'en')}, "
            f"V = {fmt(gchi.cramers_v, 2, 'en')})."
        )
    return Result(
        key=key,
        n=n,
        tables=tables,
        statistics=stats,
        methods=methods(
            f"Van {n} respondenten uit {organisations(data, 'nl')}"
            " organisaties met een bekende functie "
            "(technisch: engineer, onderzoeker, programmeur/ICT'er; niet-technisch: consultant, "
            "projectleider, manager, docent; 'anders' weggelaten) en sector (objectief, naar "
            "organisatietype) zijn de aandelen in de vier groepen berekend met Wilson-"
            "intervallen (95 %). De samenhang tussen functie en sector is getoetst met "
            f"Pearsons χ²-toets zonder continuïteitscorrectie (χ²(1) = "
            f"{fmt(chi.statistic, 2, 'nl')}, {fmt_p(chi.p, 'nl')}, φ = "
            f"{fmt(chi.cramers_v, 2, 'nl')}).{gender_nl}",
            f"Of {n} respondents from {organisations(data, 'en')} organisations with a known job "
            "(technical: engineer, researcher, programmer/ICT; non-technical: consultant, "
            "project leader, manager, teacher; 'other' left out) and sector (objective, by "
            "organisation type), the shares of the four groups were computed with Wilson "
            "intervals (95 %). The association of job and sector was tested with Pearson's "
            f"χ² test without continuity correction (χ²(1) = {fmt(chi.statistic, 2, 'en')}, "
            f"{fmt_p(chi.p, 'en')}, φ = {fmt(chi.cramers_v, 2, 'en')}).{gender_en}",
        ),
        chart={
            "kind": "bar",
            "categories": [GROUP4_LABELS[g]["en"] for g in GROUPS4],
            "categories_nl": [GROUP4_LABELS[g]["nl"] for g in GROUPS4],
            "series": [{"name": "%", "values": shares}],
            "unit": "%",
        },
    )


# --- 6.1 Objective versus subjective sector ----------------------------------------------


def _org_type(value: str) -> dict[str, str]:
    """An organisation type's name ("non_technical" is also a job group's value)."""
    if value == "non_technical":
        return {"nl": "niet-technische organisatie", "en": "non-technical organisation"}
    return labels(value)


def objective_subjective(frame: pd.DataFrame, k: int) -> Result:
    """The sector by the national classification of the organisation type (objective)
    against the respondent's own answer (subjective: "do you work in the technical
    sector?", "unsure" left out).

    Per organisation type the share answering "yes" (Wilson interval), the report's figure;
    agreement on the 2 × 2 (technical sector / yes) as observed agreement and Cohen's κ with
    the Fleiss–Cohen–Everitt standard error.
    """
    k = check_k(k)
    key = "objective-subjective-sector"
    data = _complete(frame, ["sector_objective", "sector_subjective"])
    data = data[_str(data, "sector_subjective").isin(["yes", "no"])]
    data = _two_levels(data, "sector_objective", ("technical_sector", "non_technical_sector"), k)
    data = _two_levels(data, "sector_subjective", ("yes", "no"), k)
    n = len(data)
    agree = _crosstab(
        _str(data, "sector_objective"),
        _str(data, "sector_subjective"),
        ["technical_sector", "non_technical_sector"],
        ["yes", "no"],
    )
    kappa = m.cohens_kappa(agree.to_numpy())
    tables = [
        _crosstab_table(
            agree,
            k,
            {"nl": "Objectieve × subjectieve sector", "en": "Objective × subjective sector"},
            row_name={"nl": "objectieve sector", "en": "objective sector"},
        )
    ]
    by_type = data.dropna(subset=["organisation_type"])
    by_type, types, small = keep_levels(by_type, "organisation_type", k)
    type_counts = _crosstab(
        _str(by_type, "organisation_type"), _str(by_type, "sector_subjective"), types, ["yes", "no"]
    )
    share_table, yes_share = _share_table(
        type_counts,
        k,
        {
            "nl": "Zegt in de technische sector te werken, per organisatietype",
            "en": "Says they work in the technical sector, by organisation type",
        },
        key_column="organisation_type",
        keys=types,
        name=_org_type,
        share="yes",
        left_out=small,
    )
    tables.append(share_table)
    stats = [
        statistic("observed agreement", kappa.agreement),
        statistic("Cohen's kappa", kappa.kappa, kappa.ci, kappa.p, "kappa", kappa.kappa),
    ]
    return Result(
        key=key,
        n=n,
        tables=tables,
        statistics=stats,
        methods=methods(
            f"Voor {n} respondenten uit {organisations(data, 'nl')} organisaties is de objectieve "
            "sector (landelijke indeling van het organisatietype) vergeleken met het eigen "
            "antwoord op de vraag of men in de technische sector werkt ('weet ik niet' "
            f"weggelaten). Overeenstemming: {fmt(100 * kappa.agreement, 1, 'nl')} %, Cohens κ = "
            f"{fmt(kappa.kappa, 2, 'nl')} (95 %-interval {fmt(kappa.ci[0], 2, 'nl')} tot "
            f"{fmt(kappa.ci[1], 2, 'nl')}, standaardfout volgens Fleiss, Cohen en Everitt, 1969). "
            "Per organisatietype staat het aandeel 'ja' met een Wilson-interval.",
            f"For {n} respondents from {organisations(data, 'en')} organisations the objective "
            "sector (national classification of the organisation type) was compared with "
            "their own answer to whether they work in the technical sector ('don't know' "
            f"left out). Agreement: {fmt(100 * kappa.agreement, 1, 'en')} %, Cohen's κ = "
            f"{fmt(kappa.kappa, 2, 'en')} (95 % interval {fmt(kappa.ci[0], 2, 'en')} to "
            f"{fmt(kappa.ci[1], 2, 'en')}, standard error of Fleiss, Cohen and Everitt, 1969). "
            "Per organisation type the share answering 'yes' is given with a Wilson interval.",
        ),
        chart={
            "kind": "bar",
            "categories": [_org_type(t)["en"] for t in types],
            "categories_nl": [_org_type(t)["nl"] for t in types],
            "series": [{"name": {"nl": "ja", "en": "yes"}, "values": yes_share}],
            "unit": "%",
        },
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


# --- 6.3 / 7 Profiles by institution, cluster, function, sector and gender ---------------

PROFILE_BY = (
    ("institution_type", ("hbo", "wo")),
    ("study_cluster", ("cluster_1", "cluster_2")),
    ("function_group", ("technical", "non_technical")),
    ("sector_objective", ("technical_sector", "non_technical_sector")),
    ("gender", ("woman", "man")),
)
PROFILE_BY_NAMES = {
    "institution_type": {"nl": "instelling", "en": "institution"},
    "study_cluster": {"nl": "studiecluster", "en": "study cluster"},
    "function_group": {"nl": "functie", "en": "job"},
    "sector_objective": {"nl": "sector", "en": "sector"},
    "gender": {"nl": "gender", "en": "gender"},
}


def profiles_by_background(frame: pd.DataFrame, k: int) -> Result:
    """The profile mix by institution (hbo/wo), study cluster, function, sector (chapter 6,
    sub-question 3) and gender (chapter 7).

    Per background variable: the profile × level table with column percentages, Pearson's
    χ² test of independence, Cramér's V with its noncentral-χ² interval, and Haberman's
    adjusted standardised residuals (|r| > 1.96: the profile is over- or under-represented
    in that group at the 5 % level). Holm's adjustment is applied over the five tests.
    Profiles and levels with fewer than k people are left out of that test.
    """
    k = check_k(k)
    key = "profiles-by-background"
    data = _complete(frame, ["profile"])
    data, profiles, small_profiles = keep_levels(data, "profile", k)
    if len(profiles) < 2:
        raise Refusal(
            f"Te weinig gegevens: minder dan twee profielen hebben {k} of meer mensen.",
            f"Too few data: fewer than two profiles have {k} or more people.",
        )
    tests: list[tuple[str, m.ChiSquare]] = []
    tables: list[Table] = []
    chart: dict[str, object] | None = None
    for column, levels in PROFILE_BY:
        rows = data[_str(data, column).isin(levels)]
        counts = _str(rows, column).value_counts()
        if any(int(counts.get(v, 0)) < k for v in levels):
            continue
        table = _crosstab(_str(rows, "profile"), _str(rows, column), profiles, levels)
        table = table[table.sum(axis=1) > 0]
        if len(table) < 2:
            continue
        chi = m.chi_square(table.to_numpy())
        tests.append((column, chi))
        note = None
        if chi.share_expected_below_5 > 0.2:
            note = {
                "nl": "Meer dan 20 % van de cellen heeft een verwachte frequentie onder 5: "
                "lees de χ²-toets met voorzichtigheid.",
                "en": "More than 20 % of the cells have an expected count below 5: read the "
                "χ² test with caution.",
            }
        tables.append(
            _crosstab_table(
                table,
                k,
                {
                    lang: f"{'Profiel' if lang == 'nl' else 'Profile'} × "
                    f"{PROFILE_BY_NAMES[column][lang]}"
                    for lang in ("nl", "en")
                },
                residuals=chi.residuals,
                row_name={"nl": "profiel", "en": "profile"},
                note=note,
            )
        )
        if column == "function_group":
            chart = {
                "kind": "grouped_bar",
                "categories": [label(p, "en") for p in table.index],
                "categories_nl": [label(p, "nl") for p in table.index],
                "series": [
                    {"name": labels(lv), "values": values}
                    for lv, values in zip(table.columns, _column_shares(table, k), strict=True)
                ],
                "unit": "%",
            }
    if not tests:
        raise Refusal(
            f"Te weinig gegevens: geen achtergrondkenmerk heeft twee groepen van {k} of meer.",
            f"Too few data: no background characteristic has two groups of {k} or more.",
        )
    adjusted = m.holm_adjust([chi.p for _, chi in tests])
    stats: list[dict[str, object]] = []
    parts_nl, parts_en = [], []
    for (column, chi), p_holm in zip(tests, adjusted, strict=True):
        s = _chi_statistic(f"chi-square profile × {column} (df {chi.df})", chi)
        s["p_holm"] = significant(p_holm)
        s["n"] = chi.n
        stats.append(s)
        parts_nl.append(
            f"{column}: χ²({chi.df}, n = {chi.n}) = {fmt(chi.statistic, 2, 'nl')}, "
            f"{fmt_p(chi.p, 'nl')}, Holm-gecorrigeerd {fmt_p(p_holm, 'nl')}, V = "
            f"{fmt(chi.cramers_v, 2, 'nl')}"
        )
        parts_en.append(
            f"{column}: χ²({chi.df}, n = {chi.n}) = {fmt(chi.statistic, 2, 'en')}, "
            f"{fmt_p(chi.p, 'en')}, Holm-adjusted {fmt_p(p_holm, 'en')}, V = "
            f"{fmt(chi.cramers_v, 2, 'en')}"
        )
    note = _left_out_note({"profile": small_profiles}, k)
    if note and tables:
        first = tables[0]
        tables[0] = Table(first.title, first.columns, first.rows, note)
    n = len(data)
    return Result(
        key=key,
        n=n,
        tables=tables,
        statistics=stats,
        methods=methods(
            f"Van {n} respondenten uit {organisations(data, 'nl')}"
            " organisaties met een profiel is de "
            "verdeling over de profielen per achtergrondkenmerk vergeleken met Pearsons "
            "χ²-toets op onafhankelijkheid (zonder continuïteitscorrectie), Cramérs V met een "
            "interval uit de niet-centrale χ²-verdeling en de gecorrigeerde gestandaardiseerde "
            "residuen van Haberman (|r| > 1,96); de p-waarden zijn over de toetsen gecorrigeerd "
            "volgens Holm. " + "; ".join(parts_nl) + ".",
            f"Of {n} respondents from {organisations(data, 'en')}"
            " organisations with a profile, the "
            "distribution over the profiles was compared per background characteristic with "
            "Pearson's χ² test of independence (no continuity correction), Cramér's V with an "
            "interval from the noncentral χ² distribution and Haberman's adjusted "
            "standardised residuals (|r| > 1.96); the p-values are Holm-adjusted over the "
            "tests. " + "; ".join(parts_en) + ".",
        ),
        chart=chart,
    )


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
        women_w = np.zeros(len(names_b))
        women_w[1] = women_w[3] = 1.0
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
