"""Importing a round of appraisals and comparing it (the pages call these)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
from django.db import transaction
from django.utils import timezone

from koers.hrfile import HRFileError
from koers.hrfile.appraisals import read_appraisals
from koers.hrfile.problems import Problem
from koers.lib.codes import keyed_hash
from koers.organisations.models import Organisation
from koers.recruitment.appraisal_text import measure
from koers.recruitment.models import Appraisal, AppraisalRound
from koers.recruitment.vacancy import guess_language
from koers.stats.appraisal import TEXT_MEASURES, AppraisalResult, compare_appraisals


@dataclass(frozen=True)
class RoundImport:
    round: AppraisalRound | None
    problems: list[Problem]


def _pseudonym(organisation: Organisation, kind: str, value: object) -> str:
    return keyed_hash(f"appraisal-{kind}:{organisation.pk}", str(value))[:16]


def import_appraisals(
    organisation: Organisation,
    data: bytes,
    filename: str,
    *,
    name: str,
    keep_texts: bool = False,
    user: object | None = None,
) -> RoundImport:
    """All rows or none. Employee and reviewer ids become keyed hashes; each text is
    measured here and stored only when ``keep_texts``."""
    try:
        table = read_appraisals(data, filename=filename)
    except HRFileError as error:
        return RoundImport(None, error.problems)
    if table.problems or not table.usable:
        return RoundImport(None, table.problems)
    frame = table.appraisals
    if frame.empty:
        return RoundImport(None, [Problem(None, None, "the file holds no appraisals")])
    rows = []
    for record in frame.to_dict("records"):
        text = record["text"] or ""
        measures = measure(text, guess_language(text)) if text else None
        rows.append(
            Appraisal(
                organisation=organisation,
                employee=_pseudonym(organisation, "employee", record["employee_id"]),
                reviewer=_pseudonym(organisation, "reviewer", record["reviewer_id"]),
                gender=record["gender"],
                job_level=str(record["job_level"])[:60],
                rating=float(record["rating"]),
                text=text if keep_texts else "",
                **(measures.as_dict() if measures else {}),
            )
        )
    with transaction.atomic():
        appraisal_round = AppraisalRound.objects.create(
            organisation=organisation,
            name=name[:120],
            filename=filename[:255],
            n_rows=len(rows),
            keep_texts=keep_texts,
            created_by=user if getattr(user, "pk", None) else None,
        )
        for row in rows:
            row.round = appraisal_round
        Appraisal.objects.bulk_create(rows, batch_size=2000)
    return RoundImport(appraisal_round, [])


def comparisons_of(appraisal_round: AppraisalRound, k: int) -> AppraisalResult:
    fields = ["gender", "job_level", "reviewer", "rating", *TEXT_MEASURES]
    frame = pd.DataFrame.from_records(
        list(Appraisal.objects.filter(round=appraisal_round).values_list(*fields)),
        columns=fields,
    ).rename(columns={"reviewer": "reviewer_id"})
    return compare_appraisals(frame, k)


def delete_expired_rounds(cutoff: dt.date) -> int:
    """Retention: delete appraisal rounds imported before ``cutoff`` (with their rows)."""
    start = timezone.make_aware(dt.datetime.combine(cutoff, dt.time.min))
    return AppraisalRound.objects.filter(created__lt=start).delete()[0]
