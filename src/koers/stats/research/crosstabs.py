"""Cross-tables of the Compass report (chapter 6, sub-questions 1 and 3; chapter 7):
technical function × technical sector, objective versus subjective sector, and the
profile mix by institution, study cluster, function, sector and gender with χ² tests.
The rules every analysis follows are in :mod:`koers.stats.research.analyses`.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from koers.stats.disclosure import check_k
from koers.stats.research import models as m
from koers.stats.research.common import (
    GROUP4_LABELS,
    GROUPS4,
    _chi_statistic,
    _column_shares,
    _complete,
    _crosstab,
    _crosstab_table,
    _left_out_note,
    _share_table,
    _str,
    _two_levels,
)
from koers.stats.research.core import (
    Refusal,
    Result,
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
)

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
