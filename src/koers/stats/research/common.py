"""Helpers shared by the analysis modules of :mod:`koers.stats.research.analyses`: the
design-column fits that leave out constant or collinear covariates (and note them for
:func:`koers.stats.research.run_analysis`), frame selections, disclosed count and share
tables, and statistics for χ² tests and odds ratios. Pure: no Django.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextvars import ContextVar

import numpy as np
import numpy.typing as npt
import pandas as pd

from koers.stats.research import models as m
from koers.stats.research.core import (
    NOT_APPLICABLE,
    Refusal,
    Table,
    cell,
    disclosed_crosstab,
    label,
    labels,
    statistic,
    total_cell,
)

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
