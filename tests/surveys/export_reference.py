"""The research export as it was built synchronously (session 8, before the background job).

Frozen on purpose: ``tests/surveys/test_export_job.py`` proves the file the job makes, after
the speed work in :func:`koers.surveys.export.build_export`, is byte for byte this one's for
the same campaign and the same row order; ``bench/export_bench.py`` times both in one run.
Do not "fix" it: change the test instead if the export's content is meant to change.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
from django.conf import settings

from koers.instruments import Instrument, scoring_key
from koers.stats.anonymity import k_anonymise
from koers.stats.scales import score_scales
from koers.surveys.export import (
    _STEP_TEXT,
    ExportRefused,
    ResearchExport,
    _describe,
    _quasi_identifiers,
    neutralise,
)
from koers.surveys.models import Answer, Campaign, Response


def build_export(
    campaign: Campaign, language: str = "nl", shuffle: Callable[[list[Any]], None] | None = None
) -> ResearchExport:
    """``koers.surveys.export.build_export`` as it was before the export became a job."""
    k = settings.KOERS_MIN_GROUP_SIZE
    instrument: Instrument = campaign.instrument()
    responses = list(
        Response.objects.filter(campaign=campaign, finished_on__isnull=False).only("pk")
    )
    if len(responses) < k:
        raise ExportRefused(
            f"This campaign has {len(responses)} finished responses; an export needs at least {k}."
        )
    (shuffle or secrets.SystemRandom().shuffle)(responses)
    items = [item for item in instrument.items if item.type != "text"]
    # Plain values, not an Answer object per answer (a fifth of the time at 20,000 responses).
    answers: dict[int, dict[str, Any]] = {r.pk: {} for r in responses}
    for response_id, item_id, value in Answer.objects.filter(
        response__campaign=campaign, response__finished_on__isnull=False
    ).values_list("response_id", "item_id", "value"):
        if value is not None:
            answers[response_id][item_id] = value
    rows = [answers[r.pk] for r in responses]
    value_labels: dict[str, dict[int, str]] = {}
    columns: dict[str, list[Any]] = {}
    codebook: list[dict[str, Any]] = []
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
    texts = _STEP_TEXT.get(language, _STEP_TEXT["nl"])
    quasi = _quasi_identifiers(items, value_labels)
    anonymised = k_anonymise(
        data,
        quasi,
        k,
        other_label=texts["other"],
        unknown_label=texts["unknown"],
    )
    for column, rung in anonymised.rungs.items():
        if rung.dropped:
            data = data.drop(columns=[column])
            value_labels.pop(column, None)
        elif rung.step != "exact":
            data[column] = anonymised.data[column]
            value_labels[column] = {int(code): label for code, label in rung.labels.items()}
    for entry in codebook:
        done = anonymised.rungs.get(entry["variable"])
        entry["anonymisation"] = _describe(done, texts, k) if done else ""
        if done and done.step != "exact" and not done.dropped:
            entry["values"] = "; ".join(
                f"{code} = {label}" for code, label in value_labels[entry["variable"]].items()
            )
    dropped = anonymised.dropped
    note = texts["note"].format(
        k=k,
        columns=", ".join(q.column for q in quasi),
        dropped=texts["note_dropped"].format(columns=", ".join(dropped)) if dropped else "",
    )
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
                    "anonymisation": "",
                }
            )
    data = pd.concat([data, pd.DataFrame(score_columns, index=data.index)], axis=1)
    respondent = pd.DataFrame({"respondent": np.arange(1, len(data) + 1)}, index=data.index)
    data = pd.concat([respondent, data], axis=1)
    book = pd.DataFrame(codebook).map(neutralise)
    return ResearchExport(data=data, codebook=book, value_labels=value_labels, note=note)
