"""Workflows of the pay transparency desk: category versions, requests and their answers.

Snapshots are read through ``Snapshot.objects.current_for(org)`` only (the newest current
version of the newest reference date); the categories through :func:`category_of`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import pandas as pd
from django.conf import settings
from django.db import transaction
from django.db.models import Max

from koers.organisations.models import Organisation
from koers.paytransparency.figures import LetterFigures, letter_figures
from koers.paytransparency.models import CRITERIA, CategoryScheme, InformationRequest
from koers.scan.models import Snapshot
from koers.scan.services import pseudonymise
from koers.stats.workforce import in_service


def current_snapshot(org: Organisation) -> Snapshot | None:
    snapshot: Snapshot | None = (
        Snapshot.objects.current_for(org).defer(None).first()  # the rows are needed
    )
    return snapshot


def jobs_in(frame: pd.DataFrame, on: dt.date) -> list[str]:
    """The job (function) values of the staff in service on ``on``, sorted (the supervisory
    board is not staff and has no job to evaluate)."""
    return sorted({str(v) for v in frame["job_family"][in_service(frame, on)].dropna()})


def current_scheme(org: Organisation) -> CategoryScheme | None:
    scheme: CategoryScheme | None = CategoryScheme.objects.for_org(org).first()
    return scheme


def category_of(org: Organisation) -> dict[str, str]:
    """Job → category in the organisation's newest category version ({} without one)."""
    scheme = current_scheme(org)
    return scheme.mapping() if scheme is not None else {}


def save_scheme(
    org: Organisation,
    weights: Mapping[str, int],
    jobs: Mapping[str, Mapping[str, Any]],
    *,
    weights_note: str = "",
    user: Any = None,
) -> CategoryScheme:
    """Store the builder's content as the next version; an unchanged content adds nothing.

    A version is never edited (figures name the version they used), so the council's
    agreement of an earlier version stays with that version.
    """
    weights = {c: int(weights[c]) for c in CRITERIA}
    if sum(weights.values()) != 100:
        raise ValueError("the weights must add up to 100")
    cleaned = {
        job: {
            "scores": {c: int(v["scores"][c]) for c in CRITERIA},
            "category": str(v.get("category", "")).strip(),
        }
        for job, v in sorted(jobs.items())
    }
    with transaction.atomic():
        latest = current_scheme(org)
        if (
            latest is not None
            and latest.weights == weights
            and latest.jobs == cleaned
            and latest.weights_note == weights_note
        ):
            return latest
        top = CategoryScheme.objects.for_org(org).aggregate(m=Max("version"))["m"] or 0
        created: CategoryScheme = CategoryScheme.objects.create(
            organisation=org,
            version=top + 1,
            weights=weights,
            weights_note=weights_note,
            jobs=cleaned,
            created_by=user,
        )
        return created


def record_agreement(scheme: CategoryScheme, on: dt.date, note: str = "") -> None:
    scheme.council_agreed_on = on
    scheme.council_note = note
    scheme.save(update_fields=["council_agreed_on", "council_note"])


def find_worker(org: Organisation, frame: pd.DataFrame, entered: str) -> str | None:
    """The snapshot's pseudonym for what HR typed: the pseudonym itself or the employee number."""
    entered = entered.strip()
    ids = set(frame["employee_id"].astype(str))
    if entered in ids:
        return entered
    pseudonym = pseudonymise([entered], org.pseudonym_key)[0]
    return pseudonym if pseudonym in ids else None


def figures_for(org: Organisation, request: InformationRequest) -> LetterFigures:
    """The letter's figures on the current snapshot (the answer stores them when sent)."""
    snapshot = current_snapshot(org)
    if snapshot is None:
        raise LookupError("no Gender Scan snapshot")
    return letter_figures(
        snapshot.frame(),
        snapshot.reference_date,
        request.worker,
        category_of(org),
        settings.KOERS_MIN_GROUP_SIZE,
    )


def answer(org: Organisation, request: InformationRequest, on: dt.date) -> None:
    """Record the answer as sent: its date, the figures and the category version used."""
    figures = figures_for(org, request).to_dict()
    scheme = current_scheme(org)
    figures["scheme_version"] = None if scheme is None else scheme.version
    request.answer = figures
    request.answered_on = on
    request.save(update_fields=["answer", "answered_on"])


def delete_expired_requests(cutoff: dt.date) -> int:
    """Retention: requests answered before ``cutoff`` (KOERS_RETAIN_HR_MONTHS) go."""
    deleted, _ = InformationRequest.objects.filter(answered_on__lt=cutoff).delete()
    return deleted
