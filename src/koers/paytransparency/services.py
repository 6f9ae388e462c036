"""Workflows of the pay transparency desk: category versions, requests and their answers.

Snapshots are read through ``Snapshot.objects.current_for(org)`` only (the newest current
version of the newest reference date); the categories through :func:`category_of`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import pandas as pd
from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils.translation import get_language

from koers.lib import codes, hooks
from koers.lib.hooks import PlanLine
from koers.organisations.models import Organisation
from koers.paytransparency.figures import LetterFigures, letter_figures
from koers.paytransparency.models import (
    CRITERIA,
    CategoryScheme,
    DeskSettings,
    InformationRequest,
    PayAssessment,
    PersonalLink,
)
from koers.paytransparency.report import build_report
from koers.paytransparency.workbook import category_figures, leave_rise
from koers.scan import report_cache
from koers.scan.models import Snapshot
from koers.scan.services import pseudonymise
from koers.stats.disclosure import Discloser
from koers.stats.leaverise import LeaveRise, comparison_date
from koers.stats.workforce import in_service

T = TypeVar("T")


def current_snapshot(org: Organisation) -> Snapshot | None:
    snapshot: Snapshot | None = (
        Snapshot.objects.current_for(org).defer(None).first()  # the rows are needed
    )
    return snapshot


def jobs_in(frame: pd.DataFrame, on: dt.date) -> list[str]:
    """The job (function) values of the staff in service on ``on``, sorted (the supervisory
    board is not staff and has no job to evaluate)."""
    return sorted({str(v) for v in frame["job_family"][in_service(frame, on)].dropna()})


def snapshot_jobs(snapshot: Snapshot) -> list[str]:
    """:func:`jobs_in` the snapshot on its reference date (kept per snapshot)."""
    return kept(snapshot, ("jobs",), lambda: jobs_in(snapshot.frame(), snapshot.reference_date))


def kept(snapshot: Snapshot, params: tuple[Any, ...], build: Callable[[], T]) -> T:
    """``build()``, kept per snapshot under ``params`` (``koers.scan.report_cache``: a
    snapshot never changes, and what is kept for it leaves the cache when it is deleted).
    Every page of the desk works on the current snapshot's rows; at 50,000 employees
    decoding them and computing per category took seconds per view (docs/performance.md).
    ``params`` must name everything else the result depends on (mapping, viewer side, k,
    language)."""
    value: T = report_cache.cached(snapshot.pk, ("paytransparency", *params), build)
    return value


def art9_report(
    org: Organisation, hr: bool
) -> tuple[Snapshot | None, CategoryScheme | None, dict[str, Any] | None]:
    """The current snapshot, category version and the Art. 9 report's figures for an HR
    (``hr``) or other viewer; the figures kept per snapshot (``koers.scan.report_cache``:
    a snapshot never changes, and its figures leave the cache with it) under the category
    version's mapping, the viewer's side of the suppression rule and the language. Reading
    and decoding the snapshot's rows took most of the page at 2,000 employees (docs/
    performance.md)."""
    snapshot = Snapshot.objects.current_for(org).first()  # the rows only to build
    scheme = current_scheme(org)
    if snapshot is None:
        return None, scheme, None
    mapping = scheme.mapping() if scheme is not None else None
    k = settings.KOERS_MIN_GROUP_SIZE
    params = (
        "art9",
        hr,
        k,
        scheme.version if scheme is not None else None,
        sorted(mapping.items()) if mapping else None,
        get_language(),
    )

    def build() -> dict[str, Any] | None:
        return build_report(
            snapshot.frame(),
            snapshot.reference_date,
            Discloser(hr, k),
            mapping=mapping,
            scheme_version=scheme.version if scheme is not None else None,
        )

    return snapshot, scheme, kept(snapshot, params, build)


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


# --- Art. 10 workbook and remediation ------------------------------------------------------


def desk_settings(org: Organisation) -> DeskSettings:
    found: DeskSettings
    found, _created = DeskSettings.objects.get_or_create(organisation=org)
    return found


def assessment_figures(
    org: Organisation, item: PayAssessment, snapshot: Snapshot | None = None
) -> dict[str, Any] | None:
    """The remediation and decomposition of the assessment's category on the current
    snapshot (read here unless given), with the factors HR named (None without a snapshot
    or nobody in it)."""
    snapshot = snapshot or current_snapshot(org)
    if snapshot is None:
        return None
    return category_figures(
        snapshot.frame(),
        snapshot.reference_date,
        item.category,
        category_of(org),
        list(item.factors),
        float(desk_settings(org).employer_charges_pct),
    )


def plan_indicator(category: str) -> str:
    """The indicator text a plan action for this category carries; the evaluation finds the
    actions by it (through the ``plan_actions`` hook, without importing the plan)."""
    return f"loonkloof: {category}"


def category_measures(org: Organisation, category: str) -> list[PlanLine]:
    wanted = plan_indicator(category)
    return [
        line
        for impl in hooks.plan_actions.implementations()
        for line in impl(org)
        if line.indicator.strip().lower() == wanted.lower()
    ]


def snapshot_history(org: Organisation, days: set[dt.date]) -> list[tuple[dt.date, pd.DataFrame]]:
    """Frames of the current snapshots on ``days`` (oldest first), read in one query."""
    if not days:
        return []
    chosen = Snapshot.objects.history_for(org).filter(reference_date__in=days).defer(None)
    return [(s.reference_date, s.frame()) for s in chosen]


def snapshot_dates(org: Organisation) -> list[dt.date]:
    """The reference dates of the current snapshots, oldest first (one query)."""
    return list(Snapshot.objects.history_for(org).values_list("reference_date", flat=True))


def needed_days(
    org: Organisation, lines: list[PlanLine], dates: list[dt.date] | None = None
) -> set[dt.date]:
    """The reference dates the evaluation reads: per start date the last one on or before
    it and the newest one after it (``dates`` from :func:`snapshot_dates`, read if None)."""
    dates = snapshot_dates(org) if dates is None else dates
    days: set[dt.date] = set()
    for line in lines:
        if line.start is None:
            continue
        earlier = [d for d in dates if d <= line.start]
        later = [d for d in dates if d > line.start]
        days.update(earlier[-1:] + later[-1:])
    return days


def leave_comparison_day(snapshot: Snapshot | None, dates: list[dt.date]) -> set[dt.date]:
    """The earlier snapshot the pay rise after leave compares with (empty set: none)."""
    if snapshot is None:
        return set()
    day = comparison_date(
        [d for d in dates if d < snapshot.reference_date], snapshot.reference_date
    )
    return {day} if day is not None else set()


def assessment_leave_rise(
    snapshot: Snapshot | None,
    history: list[tuple[dt.date, pd.DataFrame]],
    category: str,
    mapping: Mapping[str, str] | None,
) -> LeaveRise | None:
    """The category's pay rise after leave on the current snapshot (None without one);
    ``history`` holds the earlier snapshot (:func:`leave_comparison_day`) when there is one."""
    if snapshot is None:
        return None
    return leave_rise((snapshot.reference_date, snapshot.frame()), history, category, mapping)


# --- workers' own requests (Art. 7(1)) through the desk link -------------------------------

CODE_LENGTH = 16
CODE_DOMAIN = "pay-request-code"


def open_link(settings_row: DeskSettings, is_open: bool) -> None:
    if is_open and not settings_row.public_token:
        settings_row.public_token = codes.new_secret()
    settings_row.link_open = is_open
    settings_row.save(update_fields=["public_token", "link_open"])


def desk_for_token(token: str) -> DeskSettings | None:
    if not token:
        return None
    found: DeskSettings | None = (
        DeskSettings.objects.select_related("organisation")
        .filter(public_token=token, link_open=True)
        .first()
    )
    return found


def file_request(desk: DeskSettings, employee_number: str, language: str, on: dt.date) -> str:
    """Store a worker's own request (the pseudonym of the number typed, never the number)
    and return the receipt code; only its keyed hash is kept."""
    org = desk.organisation
    worker = pseudonymise([employee_number.strip()], org.pseudonym_key)[0]
    return file_request_for(org, worker, language, on)


def file_request_for(org: Organisation, worker: str, language: str, on: dt.date) -> str:
    """Store a worker's own request for the pseudonym ``worker``; return the receipt code."""
    code = codes.new_code(CODE_LENGTH)
    InformationRequest.objects.create(
        organisation=org,
        worker=worker,
        received_on=on,
        language=language,
        source="worker",
        code_hash=codes.keyed_hash(CODE_DOMAIN, code),
    )
    return code


def find_own_request(code: str) -> InformationRequest | None:
    normalised = codes.normalise_code(code)
    if not codes.looks_like_code(normalised, CODE_LENGTH):
        return None
    found: InformationRequest | None = InformationRequest.objects.filter(
        code_hash=codes.keyed_hash(CODE_DOMAIN, normalised)
    ).first()
    return found


PERSONAL_LINK_DOMAIN = "pay-personal-link"


def n_workers(snapshot: Snapshot) -> int:
    """How many workers the snapshot has (kept per snapshot)."""
    return kept(snapshot, ("n_workers",), lambda: len(_workers(snapshot)))


def snapshot_workers(org: Organisation, snapshot: Snapshot | None = None) -> set[str]:
    """The pseudonyms of the current snapshot's workers (empty without a snapshot)."""
    snapshot = snapshot or current_snapshot(org)
    return _workers(snapshot) if snapshot is not None else set()


def _workers(snapshot: Snapshot) -> set[str]:
    return set(snapshot.frame()["employee_id"].astype(str))


def match_employee_numbers(
    org: Organisation, numbers: list[str]
) -> tuple[list[tuple[str, str]], list[str]]:
    """Each employee number HR gave with its pseudonym, pseudonymised exactly as the desk
    does (:func:`file_request`), and the numbers not in the current snapshot."""
    workers = snapshot_workers(org)
    found: list[tuple[str, str]] = []
    unknown: list[str] = []
    seen: set[str] = set()
    for number in numbers:
        number = number.strip()
        if not number or number in seen:
            continue
        seen.add(number)
        pseudonym = pseudonymise([number], org.pseudonym_key)[0]
        if pseudonym in workers:
            found.append((number, pseudonym))
        else:
            unknown.append(number)
    return found, unknown


def generate_personal_links(
    org: Organisation, matched: list[tuple[str, str]]
) -> list[tuple[str, str]]:
    """Replace every personal link of ``org`` by a new one per (number, pseudonym); return
    (number, secret) pairs. The secrets are not kept: only their keyed hashes are."""
    out: list[tuple[str, str]] = []
    rows: list[PersonalLink] = []
    for number, worker in matched:
        secret = codes.new_secret()
        out.append((number, secret))
        rows.append(
            PersonalLink(
                organisation=org,
                worker=worker,
                secret_hash=codes.keyed_hash(PERSONAL_LINK_DOMAIN, secret),
            )
        )
    with transaction.atomic():
        PersonalLink.objects.for_org(org).delete()
        PersonalLink.objects.bulk_create(rows)
    return out


def personal_link_for(secret: str) -> PersonalLink | None:
    """The personal link whose secret this is (None for a wrong or replaced link)."""
    if not secret or len(secret) > 200:
        return None
    links = PersonalLink.objects.select_related("organisation")
    digest = codes.keyed_hash(PERSONAL_LINK_DOMAIN, secret)
    found: PersonalLink | None = links.filter(secret_hash=digest).first()
    if found is None and codes.adopt_former_hash(
        PersonalLink, "secret_hash", PERSONAL_LINK_DOMAIN, secret
    ):
        found = links.filter(secret_hash=digest).first()
    return found
