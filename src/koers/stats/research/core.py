"""The research workspace's contract types (``/work/notes/research-contract.md``, issue 21):
the pooled dataset's columns, :class:`Analysis`, :class:`Table` and :class:`Result`, and
the helpers every analysis shares (refusals, disclosed count tables, methods sentences).
Pure: no Django.
"""

from __future__ import annotations

import platform
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import metadata

import numpy as np
import pandas as pd
import scipy

from koers.stats.disclosure import suppress_table

# name -> "category" | "number"; exactly the contract's columns.
COLUMNS: dict[str, str] = {
    "respondent": "category",
    "organisation": "category",
    "gender": "category",
    "age": "number",
    "contract_hours": "number",
    "education_level": "number",
    "income_band": "number",
    "job_category": "category",
    "function_group": "category",
    "organisation_type": "category",
    "sector_objective": "category",
    "sector_subjective": "category",
    "institution_type": "category",
    "study_cluster": "category",
    "profile": "category",
    "identification": "number",
    "career_clarity": "number",
    "career_commitment": "number",
    "career_exploration": "number",
    "gender_stigma": "number",
    "future_sector": "category",
    "gender_ratio": "number",
}

# The instrument's option values in questionnaire order (career_compass v2.yaml); the SPSS
# export codes them 1..m in this order and the R loader uses them as factor levels.
# Values not listed (a later instrument version) are appended in sorted order.
LEVELS: dict[str, tuple[str, ...]] = {
    "gender": ("woman", "man", "other"),
    "job_category": (
        "engineer",
        "researcher",
        "programmer_ict",
        "consultant",
        "project_leader",
        "manager",
        "teacher",
        "other",
    ),
    "function_group": ("technical", "non_technical"),
    "organisation_type": (
        "technical_industry",
        "technical_consultancy",
        "non_technical",
        "higher_education",
        "other",
    ),
    "sector_objective": ("technical_sector", "non_technical_sector"),
    "sector_subjective": ("yes", "no", "unsure"),
    "institution_type": ("hbo", "wo", "both", "other"),
    "study_cluster": ("cluster_1", "cluster_2", "other"),
    "profile": (
        "nerd",
        "einzelganger",
        "traditionalist",
        "innovator",
        "allrounder",
        "status_seeker",
    ),
    "future_sector": ("technical", "non_technical", "unsure"),
}

# education_level codes (v2.yaml): 1 hbo bachelor, 2 hbo master, 3 wo bachelor,
# 4 wo master, 5 PhD; 6 (no degree yet) and 7 (other) are not on the hbo/wo scale.
HBO_CODES = (1.0, 2.0)
WO_CODES = (3.0, 4.0, 5.0)

LABELS: dict[str, dict[str, str]] = {
    "technical_sector": {"nl": "technische sector", "en": "technical sector"},
    "non_technical_sector": {"nl": "niet-technische sector", "en": "non-technical sector"},
    "technical": {"nl": "technische functie", "en": "technical job"},
    "non_technical": {"nl": "niet-technische functie", "en": "non-technical job"},
    "woman": {"nl": "vrouw", "en": "woman"},
    "man": {"nl": "man", "en": "man"},
    "other": {"nl": "anders", "en": "other"},
    "hbo": {"nl": "hbo", "en": "hbo (applied sciences)"},
    "wo": {"nl": "wo", "en": "wo (research university)"},
    "both": {"nl": "allebei", "en": "both"},
    "cluster_1": {"nl": "cluster 1", "en": "cluster 1"},
    "cluster_2": {"nl": "cluster 2", "en": "cluster 2"},
    "nerd": {"nl": "Nerd", "en": "Nerd"},
    "einzelganger": {"nl": "Einzelgänger", "en": "Einzelgänger"},
    "traditionalist": {"nl": "Traditionalist", "en": "Traditionalist"},
    "innovator": {"nl": "Innovator", "en": "Innovator"},
    "allrounder": {"nl": "All-rounder", "en": "All-rounder"},
    "status_seeker": {"nl": "Statuszoeker", "en": "Status Seeker"},
    "technical_industry": {"nl": "technische industrie", "en": "technical industry"},
    "technical_consultancy": {"nl": "technische consultancy", "en": "technical consultancy"},
    "higher_education": {"nl": "hoger onderwijs", "en": "higher education"},
    "yes": {"nl": "ja", "en": "yes"},
    "no": {"nl": "nee", "en": "no"},
}


def label(value: object, language: str) -> str:
    text = LABELS.get(str(value))
    return text[language] if text else str(value)


def labels(value: object) -> dict[str, str]:
    """A table cell naming ``value`` in both languages (the page shows its own)."""
    return {"nl": label(value, "nl"), "en": label(value, "en")}


# A table cell that has no value by its nature (the residual of a total row), shown
# empty; ``None`` is reserved for a suppressed cell (fewer than k people, shown "<k").
NOT_APPLICABLE = ""

# Words of the tables' column headers, English -> Dutch (see :func:`column_label`).
COLUMN_WORDS: dict[str, str] = {
    "n": "n",
    "%": "%",
    "residual": "residu",
    "label": "omschrijving",
    "code": "code",
    "group": "groep",
    "gender": "gender",
    "sector": "sector",
    "profile": "profiel",
    "scale": "schaal",
    "mean": "gemiddelde",
    "sd": "sd",
    "letters": "letters",
    "p": "p",
    "p (Holm)": "p (Holm)",
    "95% CI low": "95%-BI onder",
    "95% CI high": "95%-BI boven",
    "mean hours": "gemiddelde uren",
    "adjusted mean hours": "gecorrigeerde gemiddelde uren",
    "adjusted mean": "gecorrigeerd gemiddelde",
    "profile a": "profiel a",
    "profile b": "profiel b",
    "difference a − b": "verschil a − b",
    "organisation_type": "type organisatie",
    "income band": "inkomensklasse",
}


def column_label(name: str) -> dict[str, str]:
    """A column header in both languages: a known word, or "<value>: <word>" (a value's
    label and a word, as "woman: n"); anything else as it is."""
    if name in COLUMN_WORDS:
        return {"nl": COLUMN_WORDS[name], "en": name}
    head, sep, tail = name.rpartition(": ")
    if sep and tail in COLUMN_WORDS:
        return {lang: f"{label(head, lang)}: {word}" for lang, word in
                (("nl", COLUMN_WORDS[tail]), ("en", tail))}  # fmt: skip
    return {"nl": name, "en": name}


@dataclass(frozen=True)
class Table:
    title: dict[str, str]
    # headers: run_analysis gives them in both languages (column_label)
    columns: Sequence[str | dict[str, str]]
    # cells already suppressed (None where fewer than k; NOT_APPLICABLE where a cell has no
    # value by its nature); a label cell is {"nl": ..., "en": ...}
    rows: list[list[object]]
    note: dict[str, str] | None = None


@dataclass(frozen=True)
class Result:
    key: str
    n: int
    tables: list[Table]
    statistics: list[dict[str, object]]
    methods: dict[str, str]
    chart: dict[str, object] | None
    refused: dict[str, str] | None = None


@dataclass(frozen=True)
class Analysis:
    key: str
    title: dict[str, str]
    chapter: str
    columns: tuple[str, ...]
    run: Callable[[pd.DataFrame, int], Result]
    summary: dict[str, str] = field(default_factory=dict)


class Refusal(Exception):
    """The data are too small for this analysis; ``reason`` is {"nl": ..., "en": ...}."""

    def __init__(self, nl: str, en: str) -> None:
        super().__init__(en)
        self.reason = {"nl": nl, "en": en}


def refused(key: str, n: int, reason: dict[str, str]) -> Result:
    return Result(key=key, n=n, tables=[], statistics=[], methods={}, chart=None, refused=reason)


def require_n(n: int, needed: int, what_nl: str, what_en: str) -> None:
    if n < needed:
        raise Refusal(
            f"Te weinig gegevens: {what_nl} zijn er {n}, deze analyse heeft er minstens "
            f"{needed} nodig.",
            f"Too few data: there are {n} {what_en}; this analysis needs at least {needed}.",
        )


def keep_levels(
    frame: pd.DataFrame, column: str, k: int, levels: Sequence[str] | None = None
) -> tuple[pd.DataFrame, list[str], list[str]]:
    """Rows whose ``column`` is one of ``levels`` (default: every value present) with at
    least k rows; returns the rows, the kept levels (in LEVELS order) and the levels left
    out for being smaller than k."""
    values = frame[column].astype("object")
    order = list(levels) if levels is not None else ordered_levels(column, values.dropna())
    counts = values.value_counts()
    kept = [v for v in order if int(counts.get(v, 0)) >= k]
    small = [v for v in order if 0 < int(counts.get(v, 0)) < k]
    return frame[values.isin(kept)], kept, small


def ordered_levels(column: str, values: pd.Series) -> list[str]:
    present = {str(v) for v in values.unique()}
    known = [v for v in LEVELS.get(column, ()) if v in present]
    return known + sorted(present - set(known))


def disclosed_crosstab(counts: pd.DataFrame, k: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A count table and its mask of hidden cells: rules 1–2 of :mod:`koers.stats.disclosure`
    applied to every row and every column (both margins are shown)."""
    mask = suppress_table(counts, k, by="both")
    return counts, mask


def cell(value: float | int | None, hidden: bool, digits: int | None = None) -> object:
    if hidden or value is None:
        return None
    if isinstance(value, float) and not np.isfinite(value):
        return None
    if digits is None:
        return int(value)
    return round(float(value), digits)


def total_cell(n: int, k: int) -> int | None:
    return int(n) if n >= k else None


def significant(value: float, digits: int = 6) -> float:
    """``value`` to ``digits`` significant digits (a p of 3e-12 stays 3e-12)."""
    return float(f"{float(value):.{digits}g}")


def statistic(
    name: str,
    estimate: float,
    ci: tuple[float, float] | None = None,
    p: float | None = None,
    effect_size_name: str | None = None,
    effect_size: float | None = None,
) -> dict[str, object]:
    def clean(v: float | None, digits: int = 6) -> float | None:
        # significant digits, so that a p of 3e-12 stays 3e-12 and is not shown as 0
        if v is None or not np.isfinite(v):
            return None
        return float(f"{float(v):.{digits}g}")

    return {
        "name": name,
        "estimate": clean(estimate),
        "ci_low": clean(ci[0]) if ci else None,
        "ci_high": clean(ci[1]) if ci else None,
        "p": clean(p),
        "effect_size_name": effect_size_name,
        "effect_size": clean(effect_size),
    }


def software() -> dict[str, str]:
    """The software sentence of every methods paragraph, with the versions in use."""
    try:
        koers = metadata.version("koers")
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a checkout
        koers = "dev"
    versions = (
        f"Koers {koers} (Python {platform.python_version()}, NumPy {np.__version__}, "
        f"SciPy {scipy.__version__}, pandas {pd.__version__})"
    )
    return {
        "nl": f"Berekend met {versions}; de berekeningen zijn getoetst aan statsmodels.",
        "en": f"Computed with {versions}; the computations are tested against statsmodels.",
    }


def methods(nl: str, en: str) -> dict[str, str]:
    sw = software()
    return {"nl": f"{nl} {sw['nl']}", "en": f"{en} {sw['en']}"}


def fmt_p(p: float, language: str) -> str:
    sep = "," if language == "nl" else "."
    if p < 0.001:
        return "p < 0" + sep + "001"
    return "p = " + f"{p:.3f}".replace(".", sep)


def fmt(x: float, digits: int, language: str) -> str:
    text = f"{x:.{digits}f}"
    return text.replace(".", ",") if language == "nl" else text


def organisations(frame: pd.DataFrame, language: str) -> str:
    """The number of organisations in a methods sentence ("12"), or words for an unknown
    number when the dataset left the organisation out for anonymity."""
    n = int(frame["organisation"].nunique()) if "organisation" in frame else 0
    if n:
        return str(n)
    return "een onbekend aantal" if language == "nl" else "an unknown number of"
