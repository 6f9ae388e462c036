"""Exports of the pooled research dataset: CSV, SPSS (.sav) and R (a zip of data.csv and
load.R). The columns are the contract's (:data:`COLUMNS`); categories are the instrument's
option values in CSV and R, and codes 1..m with value labels in SPSS, numbered in the
order of :data:`LEVELS` (values not listed follow in sorted order) so that the syntax of
:func:`koers.stats.research.syntax` can name them. Pure: no Django.

The frame handed in is already pseudonymised and coarsened by the app (``koers.research``);
these functions only write it. Text cells that a spreadsheet would run as a formula are
prefixed with an apostrophe, as the survey export does.
"""

from __future__ import annotations

import io
import os
import tempfile
import zipfile

import pandas as pd

from koers.stats.research.core import COLUMNS, LEVELS, ordered_levels

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

VARIABLE_LABELS = {
    "respondent": "Respondent (pseudonym per project)",
    "organisation": "Organisation (pseudonym per project)",
    "gender": "Gender",
    "age": "Age",
    "contract_hours": "Contract hours per week",
    "education_level": "Highest education (1 hbo bachelor, 2 hbo master, 3 wo bachelor, "
    "4 wo master, 5 PhD, 6 none yet, 7 other)",
    "income_band": "Gross monthly income band (1 < 2500 ... 7 >= 7500 euro)",
    "job_category": "Job category",
    "function_group": "Technical or non-technical job",
    "organisation_type": "Organisation type",
    "sector_objective": "Sector by organisation type (national classification)",
    "sector_subjective": "Works in the technical sector (own answer)",
    "institution_type": "Institution type (hbo/wo)",
    "study_cluster": "Study cluster",
    "profile": "Professional profile",
    "identification": "Identification with the profession (1-7)",
    "career_clarity": "Career clarity (1-7)",
    "career_commitment": "Career commitment (1-7)",
    "career_exploration": "Career exploration (1-7)",
    "gender_stigma": "Gender stigma (1-7)",
    "future_sector": "Wants to work in future in",
    "gender_ratio": "Gender ratio at work (1 almost only men ... 5 almost only women)",
}

PSEUDONYMS = ("respondent", "organisation")


def _neutralise(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _columns(frame: pd.DataFrame) -> pd.DataFrame:
    missing = [c for c in COLUMNS if c not in frame.columns]
    if missing:
        raise ValueError(f"the pooled frame lacks column(s) {missing}")
    return frame[list(COLUMNS)]


def _text_frame(frame: pd.DataFrame) -> pd.DataFrame:
    out = _columns(frame).copy()
    for column, kind in COLUMNS.items():
        if kind == "category":
            values = out[column].astype("object")
            out[column] = values.where(values.notna(), None).map(_neutralise)
    return out


def to_csv(frame: pd.DataFrame) -> bytes:
    """UTF-8 CSV with a byte-order mark (Excel reads the accents), missing values empty."""
    return _text_frame(frame).to_csv(index=False).encode("utf-8-sig")


def levels_of(frame: pd.DataFrame, column: str) -> list[str]:
    """The codes' order for a category column: LEVELS first, then other values sorted."""
    values = frame[column].astype("object").dropna()
    known = list(LEVELS.get(column, ()))
    extra = [v for v in ordered_levels(column, values) if v not in known]
    return known + extra


def coded(frame: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, dict[float, str]]]:
    """Category columns as codes 1..m (pseudonyms stay text) and their value labels."""
    out = _columns(frame).copy()
    labels: dict[str, dict[float, str]] = {}
    for column, kind in COLUMNS.items():
        if kind != "category" or column in PSEUDONYMS:
            continue
        levels = levels_of(frame, column)
        mapping = {v: float(i) for i, v in enumerate(levels, start=1)}
        values = out[column].astype("object")
        out[column] = values.map(
            lambda v, mp=mapping: mp.get(str(v)) if v is not None and v == v else None
        ).astype(float)
        labels[column] = {code: value for value, code in mapping.items()}
    for column in PSEUDONYMS:
        out[column] = out[column].astype("object").where(out[column].notna(), "").astype(str)
    return out, labels


def to_sav(frame: pd.DataFrame) -> bytes:
    """SPSS .sav via pyreadstat: codes with value labels, variable labels."""
    import pyreadstat

    data, labels = coded(frame)
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "research.sav")
        pyreadstat.write_sav(
            data,
            path,
            column_labels={c: VARIABLE_LABELS.get(c, c) for c in data.columns},
            variable_value_labels=labels,
        )
        with open(path, "rb") as fh:
            return fh.read()


def load_r(frame: pd.DataFrame) -> str:
    """An R script reading data.csv with every category as a factor in the LEVELS order."""
    lines = [
        "# Koers research dataset: reads data.csv (next to this file) into `d`.",
        "# Categories become factors with the questionnaire's option order; the first level",
        "# is the reference in models.",
        'd <- read.csv("data.csv", fileEncoding = "UTF-8-BOM", stringsAsFactors = FALSE,',
        '              na.strings = "")',
    ]
    for column, kind in COLUMNS.items():
        if kind != "category" or column in PSEUDONYMS:
            continue
        levels = ", ".join(f'"{v}"' for v in levels_of(frame, column))
        lines.append(f"d${column} <- factor(d${column}, levels = c({levels}))")
    lines.append("str(d)")
    return "\n".join(lines) + "\n"


def to_r(frame: pd.DataFrame) -> bytes:
    """A zip with data.csv and load.R (``source("load.R")`` gives the frame ``d``)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.csv", to_csv(frame))
        archive.writestr("load.R", load_r(frame))
    return buffer.getvalue()
