"""Importing an applicant file and computing its funnel (the pages call these)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from koers.hrfile import HRFileError
from koers.hrfile.applicants import read_applicants
from koers.hrfile.problems import Problem
from koers.lib.codes import keyed_hash
from koers.organisations.models import Organisation
from koers.recruitment.models import Applicant, ApplicantImport
from koers.stats.funnel import DEFAULT_STAGES, Funnel, compute_funnel


@dataclass(frozen=True)
class ImportResult:
    upload: ApplicantImport | None
    problems: list[Problem]


def import_applicants(
    organisation: Organisation,
    data: bytes,
    filename: str,
    *,
    stages: tuple[str, ...] = DEFAULT_STAGES,
    labour_market_share: Decimal | None = None,
    labour_market_source: str = "",
    user: object | None = None,
) -> ImportResult:
    """All rows or none: with any problem nothing is stored and the problems come back."""
    try:
        table = read_applicants(data, stages=stages, filename=filename)
    except HRFileError as error:
        return ImportResult(None, error.problems)
    if table.problems or not table.usable:
        return ImportResult(None, table.problems)
    frame = table.applicants
    if frame.empty:
        return ImportResult(None, [Problem(None, None, "the file holds no candidates")])
    with transaction.atomic():
        upload = ApplicantImport.objects.create(
            organisation=organisation,
            filename=filename[:255],
            stages=list(stages),
            n_rows=len(frame),
            labour_market_share=labour_market_share,
            labour_market_source=labour_market_source,
            created_by=user if getattr(user, "pk", None) else None,
        )
        Applicant.objects.bulk_create(
            [
                Applicant(
                    organisation=organisation,
                    upload=upload,
                    pseudonym=keyed_hash(f"applicant:{organisation.pk}", str(cid))[:16],
                    job_family=(family or "")[:120],
                    gender=gender,
                    application_date=date if isinstance(date, dt.date) else None,
                    stage_index=int(stage),
                )
                for cid, family, gender, date, stage in zip(
                    frame["candidate_id"],
                    frame["job_family"],
                    frame["gender"],
                    frame["application_date"],
                    frame["stage_index"],
                    strict=True,
                )
            ],
            batch_size=2000,
        )
    return ImportResult(upload, [])


def funnel_of(upload: ApplicantImport) -> Funnel:
    rows = list(
        Applicant.objects.filter(upload=upload).values_list("gender", "stage_index", "job_family")
    )
    families = [r[2] for r in rows]
    return compute_funnel(
        tuple(upload.stages),
        [r[0] for r in rows],
        [r[1] for r in rows],
        families if any(families) else None,
    )


def delete_expired_imports(cutoff: dt.date) -> int:
    """Retention: delete applicant files imported before ``cutoff`` (with their rows)."""
    start = timezone.make_aware(dt.datetime.combine(cutoff, dt.time.min))
    return ApplicantImport.objects.filter(created__lt=start).delete()[0]
