"""Research export of a campaign's finished responses: CSV, Excel and SPSS, with a codebook.

One row per finished respondent in random order (no response ids, no dates),
item columns with numeric codes, facet and scale scores. Privacy safeguards
(DESIGN.md allows researchers aggregates of at least k; a row-level research
file is the one exception the researcher journey needs, so it is narrowed):
the campaign needs at least k finished responses; free-text answers are never
exported; the file is k-anonymous over the quasi-identifiers (every background
question: each choice or number item that belongs to no scale, and the campaign's
department), coarsened by :func:`koers.stats.anonymity.k_anonymise` (age in bands,
small categories merged into "other", a column dropped only when even two groups
would single people out), and the codebook says what was done to each; every text
cell is neutralised against spreadsheet formulas.
"""

from __future__ import annotations

import io
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from django.conf import settings
from django.utils.translation import gettext as _

from koers.instruments import Instrument, scoring_key
from koers.stats.anonymity import QuasiIdentifier, Rung, k_anonymise
from koers.stats.scales import score_scales
from koers.surveys.answers import answer_values
from koers.surveys.models import Answer, Campaign, Response

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Format → (content type, writer in this module).
FORMATS = {
    "csv": ("text/csv; charset=utf-8", "to_csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "to_xlsx"),
    "sav": ("application/x-spss-sav", "to_sav"),
}


class ExportRefused(Exception):
    """The export would describe fewer than k people; the message says why."""


# The background questions researchers most need come first: kept in preference when
# two columns would do equally well (koers.stats.anonymity).
FIRST_KEPT = ("gender", "age", "department")

_STEP_TEXT = {
    "nl": {
        "exact": "exact",
        "bands": "in klassen van {width}",
        "merged": "samengevoegd tot 'overig': {merged}",
        "largest vs rest": "grootste groep tegen de rest: {merged}",
        "median split": "in twee helften (mediaan)",
        "dropped": "weggelaten: elke grovere indeling maakte groepjes kleiner dan {k}",
        "unknown": "onbekend",
        "other": "overig",
        "note": (
            "Deze export is {k}-anoniem: elke combinatie van achtergrondvragen ({columns}) "
            "komt bij minstens {k} mensen voor. Zie de kolom 'anonimisering' in het "
            "codeboek.{dropped}"
        ),
        "note_dropped": " Weggelaten: {columns}.",
    },
    "en": {
        "exact": "exact",
        "bands": "in bands of {width}",
        "merged": "merged into 'other': {merged}",
        "largest vs rest": "largest group versus the rest: {merged}",
        "median split": "in two halves (median)",
        "dropped": "left out: every coarser version left groups smaller than {k}",
        "unknown": "unknown",
        "other": "other",
        "note": (
            "This export is {k}-anonymous: every combination of background questions "
            "({columns}) occurs for at least {k} people. See the column 'anonymisation' "
            "in the codebook.{dropped}"
        ),
        "note_dropped": " Left out: {columns}.",
    },
}


@dataclass(frozen=True)
class ResearchExport:
    data: pd.DataFrame
    codebook: pd.DataFrame
    value_labels: dict[str, dict[int, str]]
    note: str = ""


def _shuffle(rows: list[Any]) -> None:
    """Row order says nothing about who came first (tests and the bench fix the order)."""
    secrets.SystemRandom().shuffle(rows)


def neutralise(value: Any) -> Any:
    """Prefix text that a spreadsheet would run as a formula with an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def build_export(
    campaign: Campaign,
    language: str = "nl",
    progress: Callable[[int, str], None] | None = None,
) -> ResearchExport:
    """The research export; ``progress(percent, message)`` reports to a background job.

    Byte for byte the file of the synchronous export it replaced
    (tests/surveys/export_reference.py, tests/surveys/test_export_job.py)."""
    report = progress or (lambda percent, message: None)
    k = settings.KOERS_MIN_GROUP_SIZE
    instrument: Instrument = campaign.instrument()
    responses = list(
        Response.objects.filter(campaign=campaign, finished_on__isnull=False).values_list(
            "pk", flat=True
        )
    )
    if len(responses) < k:
        raise ExportRefused(
            f"This campaign has {len(responses)} finished responses; an export needs at least {k}."
        )
    _shuffle(responses)
    items = [item for item in instrument.items if item.type != "text"]
    free_text = [item.id for item in instrument.items if item.type == "text"]
    raw_columns = _answer_columns(campaign, responses, items, free_text)
    report(30, _("Antwoorden gelezen"))
    value_labels: dict[str, dict[int, str]] = {}
    columns: dict[str, list[Any]] = {}
    codebook: list[dict[str, Any]] = []
    for item in items:
        raw = raw_columns[item.id]
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
    report(50, _("Achtergrondvragen k-anoniem maken"))
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
    report(75, _("Schaalscores berekenen"))
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


def _answer_columns(
    campaign: Campaign, order: list[int], items: list[Any], free_text: list[str]
) -> dict[str, list[Any]]:
    """Per exported item, the finished responses' answers in ``order`` (None where not
    answered or cleared).

    The values are decoded in one call (:func:`koers.surveys.answers.answer_values`) and each
    goes straight to its column, without a dict per response. Free-text answers are not even
    read (``NOT IN`` the few text items: an ``IN`` of every exported item cost SQLite more
    than the decoding saved).
    """
    position = {pk: i for i, pk in enumerate(order)}
    columns: dict[str, list[Any]] = {item.id: [None] * len(order) for item in items}
    answers = Answer.objects.filter(
        response__campaign=campaign, response__finished_on__isnull=False
    ).exclude(item_id__in=free_text)
    for response_id, item_id, value in answer_values(answers):
        column = columns.get(item_id)  # None: an item of an older version of the questionnaire
        at = position.get(response_id)  # None: finished since the list of responses was read
        if value is not None and column is not None and at is not None:
            column[at] = value
    return columns


def _quasi_identifiers(
    items: list[Any], value_labels: dict[str, dict[int, str]]
) -> list[QuasiIdentifier]:
    """Every background question: a choice or number item outside the scales (content items
    are answers to scale items and are no quasi-identifiers); the researcher's main
    variables first."""
    background = [item for item in items if item.type in {"choice", "number"} and not item.scale]
    background.sort(key=lambda item: FIRST_KEPT.index(item.id) if item.id in FIRST_KEPT else 99)
    return [
        QuasiIdentifier(
            item.id,
            "number" if item.type == "number" else "category",
            labels=value_labels.get(item.id, {}),
        )
        for item in background
    ]


def _describe(rung: Rung, texts: dict[str, str], k: int) -> str:
    if rung.step.startswith("bands of "):
        return texts["bands"].format(width=rung.step.removeprefix("bands of "))
    return texts[rung.step].format(merged=", ".join(rung.merged), k=k)


def to_csv(export: ResearchExport) -> bytes:
    return export.data.to_csv(index=False).encode("utf-8-sig")


def to_xlsx(export: ResearchExport) -> bytes:
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        export.data.to_excel(writer, sheet_name="data", index=False)
        export.codebook.to_excel(writer, sheet_name="codebook", index=False)
        pd.DataFrame({"note": [export.note]}).to_excel(writer, sheet_name="note", index=False)
    return buffer.getvalue()


def to_sav(export: ResearchExport) -> bytes:
    import os
    import tempfile
    import textwrap

    import pyreadstat

    labels = dict(zip(export.codebook["variable"], export.codebook["label"], strict=True))
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "export.sav")
        pyreadstat.write_sav(
            export.data,
            path,
            note=textwrap.wrap(export.note, 80),  # SPSS documents: lines of 80
            column_labels={c: str(labels.get(c, c))[:250] for c in export.data.columns},
            variable_value_labels={
                name: {float(code): label for code, label in labels_of.items()}
                for name, labels_of in export.value_labels.items()
            },
        )
        with open(path, "rb") as fh:
            return fh.read()
