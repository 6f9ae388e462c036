"""Research export of a campaign's finished responses: CSV, Excel and SPSS, with a codebook.

One row per finished respondent in random order (no response ids, no dates),
item columns with numeric codes, facet and scale scores. Privacy safeguards
(DESIGN.md allows researchers aggregates of at least k; a row-level research
file is the one exception the researcher journey needs, so it is narrowed):
the campaign needs at least k finished responses; free-text answers are never
exported; the department column is left out when any department has fewer
than k respondents; every text cell is neutralised against spreadsheet formulas.
"""

from __future__ import annotations

import io
import secrets
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from django.conf import settings

from koers.instruments import DEPARTMENT_ITEM_ID, Instrument, scoring_key
from koers.stats.scales import score_scales
from koers.surveys.models import Campaign, Response

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


class ExportRefused(Exception):
    """The export would describe fewer than k people; the message says why."""


@dataclass(frozen=True)
class ResearchExport:
    data: pd.DataFrame
    codebook: pd.DataFrame
    value_labels: dict[str, dict[int, str]]


def neutralise(value: Any) -> Any:
    """Prefix text that a spreadsheet would run as a formula with an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def build_export(campaign: Campaign, language: str = "nl") -> ResearchExport:
    k = settings.KOERS_MIN_GROUP_SIZE
    instrument: Instrument = campaign.instrument()
    responses = list(
        Response.objects.filter(campaign=campaign, finished_on__isnull=False).prefetch_related(
            "answer_set"
        )
    )
    if len(responses) < k:
        raise ExportRefused(
            f"This campaign has {len(responses)} finished responses; an export needs at least {k}."
        )
    secrets.SystemRandom().shuffle(responses)  # row order says nothing about who came first
    items = [item for item in instrument.items if item.type != "text"]
    rows = [r.answers() for r in responses]
    value_labels: dict[str, dict[int, str]] = {}
    columns: dict[str, list[Any]] = {}
    codebook = []
    for item in items:
        raw = [row.get(item.id) for row in rows]
        if item.type == "choice":
            codes = {option.value: i for i, option in enumerate(item.options, start=1)}
            value_labels[item.id] = {
                i: option.label.get(language) for i, option in enumerate(item.options, start=1)
            }
            columns[item.id] = [codes.get(v) if v is not None else None for v in raw]
        else:
            columns[item.id] = raw
        codebook.append(
            {
                "variable": item.id,
                "label": item.text.get(language),
                "type": item.type,
                "scale": item.scale or "",
                "reverse_keyed": bool(item.reverse),
                "values": "; ".join(
                    f"{code} = {label}" for code, label in value_labels.get(item.id, {}).items()
                ),
            }
        )
    # Every exported column is numeric: scale points, numbers, and codes for choices.
    data = pd.DataFrame(
        {c: pd.to_numeric(pd.Series(v, dtype="object")) for c, v in columns.items()}
    )
    if DEPARTMENT_ITEM_ID in data.columns:
        sizes = data[DEPARTMENT_ITEM_ID].value_counts()
        if (sizes < k).any():
            data = data.drop(columns=[DEPARTMENT_ITEM_ID])
            codebook = [c for c in codebook if c["variable"] != DEPARTMENT_ITEM_ID]
            value_labels.pop(DEPARTMENT_ITEM_ID, None)
    scale_items = [i.id for i in items if i.type == "scale"]
    item_frame = data[scale_items].astype(float)
    scores = score_scales(item_frame, scoring_key(instrument))
    score_columns = {}
    for scale in instrument.scales:
        if scale.id in scores.columns:
            score_columns[f"score_{scale.id}"] = scores[scale.id].to_numpy(dtype=float)
            codebook.append(
                {
                    "variable": f"score_{scale.id}",
                    "label": scale.label.get(language),
                    "type": "score",
                    "scale": scale.id,
                    "reverse_keyed": False,
                    "values": "mean of the scale's items (reverse keys applied), 1–7",
                }
            )
    data = pd.concat([data, pd.DataFrame(score_columns, index=data.index)], axis=1)
    respondent = pd.DataFrame({"respondent": np.arange(1, len(data) + 1)}, index=data.index)
    data = pd.concat([respondent, data], axis=1)
    book = pd.DataFrame(codebook).map(neutralise)
    return ResearchExport(data=data, codebook=book, value_labels=value_labels)


def to_csv(export: ResearchExport) -> bytes:
    return export.data.to_csv(index=False).encode("utf-8-sig")


def to_xlsx(export: ResearchExport) -> bytes:
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        export.data.to_excel(writer, sheet_name="data", index=False)
        export.codebook.to_excel(writer, sheet_name="codebook", index=False)
    return buffer.getvalue()


def to_sav(export: ResearchExport) -> bytes:
    import os
    import tempfile

    import pyreadstat

    labels = dict(zip(export.codebook["variable"], export.codebook["label"], strict=True))
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "export.sav")
        pyreadstat.write_sav(
            export.data,
            path,
            column_labels={c: str(labels.get(c, c))[:250] for c in export.data.columns},
            variable_value_labels={
                name: {float(code): label for code, label in labels_of.items()}
                for name, labels_of in export.value_labels.items()
            },
        )
        with open(path, "rb") as fh:
            return fh.read()
