"""An organisation's own data out (export) and gone (deletion).

The export holds the rows of every model that belongs to the organisation
(subclasses of ``OrganisationOwned``: campaigns, HR snapshots, profile models,
jobs, API keys without their secrets, the audit log, targets and report settings, …)
plus its memberships. Each such model is classified in :data:`FULL` (every row) or
:data:`COUNT_ONLY` (anonymous free text: only how many); an unclassified one is
counted only, and a test fails until it is classified. Individual questionnaire
answers are not in it: they belong to the respondents (DESIGN.md privacy table),
who download or delete them themselves.

Deleted means gone from the database file too. On SQLite a deleted row stays in
the file's free pages and in the write-ahead log until they are overwritten;
``PRAGMA secure_delete=ON`` (settings.py, on every connection) zeroes the freed
space, and after a transaction that deleted personal data
:func:`checkpoint_after_commit` copies the log into the file and truncates it
(``PRAGMA wal_checkpoint(TRUNCATE)``), so the old page images in the log go as well.
PostgreSQL keeps dead rows until VACUUM; there it is a no-op (docs/privacy.md).
"""

from __future__ import annotations

import io
import json
import logging
import zipfile
from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.db.models.signals import post_delete

from koers.organisations.models import Membership, Organisation, OrganisationOwned

log = logging.getLogger(__name__)

SKIP_FIELDS = {
    "api.apitoken": {"token_hash"},
    # An invitation's link: like a key, it stays out of an export.
    "organisations.memberinvitation": {"token_hash"},
    # The inclusion summary's public link: an export must not carry a way to open it.
    "inclusion.summarylink": {"secret_hash", "secret_encrypted"},
    # The desk link for workers' own requests and the hash of their receipt codes.
    "paytransparency.desksettings": {"public_token"},
    "paytransparency.informationrequest": {"code_hash"},
    # Workers' personal links to the desk: the export carries the pseudonym, not the hash.
    "paytransparency.personallink": {"secret_hash"},
    # Open links: a campaign's public link and the reporting box's public form. Whoever holds
    # an export must not be able to answer the questionnaire or file a report with it.
    "surveys.campaign": {"public_token"},
    "reportbox.reportbox": {"public_token"},
}

# Every organisation-owned model is classified here, so each app decides what its rows
# look like in the export and nothing goes out verbatim by default.
# tests/foundation/test_gdpr.py fails on an OrganisationOwned model in neither set.
#
# FULL: every row (minus SKIP_FIELDS). The organisation's own working data, written by its
# staff in their role (HR, the admin, the works council, a facilitator) or imported by them.
FULL = frozenset(
    {
        "organisations.auditevent",
        "organisations.memberinvitation",
        "jobs.job",
        "api.apitoken",
        "surveys.campaign",
        "scan.columnmapping",
        "scan.upload",
        "scan.snapshot",
        "compass.profilemodel",
        "reportbox.reportbox",
        "reportbox.adviserprofile",
        "recruitment.applicantimport",
        "recruitment.applicant",
        "recruitment.savedvacancy",
        "recruitment.appraisalround",
        "recruitment.appraisal",
        "paytransparency.categoryscheme",
        "paytransparency.informationrequest",
        "paytransparency.payassessment",
        "paytransparency.desksettings",
        "paytransparency.payrange",
        "paytransparency.personallink",
        "plan.action",
        "plan.actioncomment",
        "plan.actionchange",
        "plan.workscounciladvice",
        "targets.subtopdefinition",
        "targets.target",
        "targets.reportsettings",
        "targets.targetexplanation",
        "inclusion.summarylink",
        "dialogue.session",
        "dialogue.sessioncard",
        # what the organisation shares with a sector programme, and its choices
        "programme.participation",
        "programme.sharedyear",
        "programme.sharedmeasure",
        "programme.sharedprofiles",
        # the organisation's decision to take part in a research project
        "research.participation",
    }
)
# COUNT_ONLY: how many rows, nothing else. Free text written anonymously by respondents,
# reporters or participants: the reporting box's reports are for the confidential
# adviser's eyes, and the organisation admin is the one who exports
# (docs/reporting-box.md); the anonymous answers of dialogue sessions belong to the group
# that gave them, and their texts are never shown verbatim to HR or the admin (DESIGN.md,
# docs/dialogue.md). The fair-flexibility register is a tally of individual decisions that
# nobody but the recorder sees one by one (its note is for the recorder alone): the export
# counts it too. A file made in the background (a PDF report, a research export) is a copy
# for one member for minutes (koers.jobs.downloads): counted.
COUNT_ONLY = frozenset(
    {
        "reportbox.report",
        "dialogue.answer",
        "dialogue.flexrequest",
        "dialogue.flexrelease",
        "jobs.storeddownload",
    }
)


def export_kind(label: str) -> str:
    """``"full"`` or ``"count"`` for a model label; an unclassified model is counted only
    (the safe side) until someone classifies it."""
    if label in FULL and label not in COUNT_ONLY:
        return "full"
    if label not in COUNT_ONLY:
        log.warning("GDPR export: %s is not classified; exported as a count only", label)
    return "count"


# Models whose deletion removes personal data: a respondent deleting their answers, a
# reporter withdrawing a report, HR deleting a snapshot or upload, retention, and the
# organisation itself (everything else cascades from these). Rows deleted in the same
# transaction share one checkpoint after the commit.
PERSONAL_DATA_MODELS = (
    "organisations.Organisation",
    "surveys.Campaign",
    "surveys.Invitation",
    "surveys.Response",
    "scan.Upload",
    "scan.Snapshot",
    "reportbox.Report",
    "reportbox.ReportMessage",
    "paytransparency.InformationRequest",
    "dialogue.FlexRequest",
    "dialogue.FlexRelease",
    settings.AUTH_USER_MODEL,
)


def owned_models() -> list[type[OrganisationOwned]]:
    return [
        m for m in apps.get_models() if issubclass(m, OrganisationOwned) and not m._meta.abstract
    ]


def export_organisation(org: Organisation) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "organisation.json",
            json.dumps(
                {"name": org.name, "slug": org.slug, "created": org.created.isoformat()}, indent=2
            ),
        )
        members = [
            {"email": m.user.email, "role": m.role, "since": m.created.isoformat()}
            for m in Membership.objects.filter(organisation=org).select_related("user")
        ]
        archive.writestr("members.json", json.dumps(members, indent=2, ensure_ascii=False))
        for model in owned_models():
            label = model._meta.label_lower
            rows = model.objects.for_org(org)
            if export_kind(label) == "count":
                archive.writestr(f"{label}.json", json.dumps({"count": rows.count()}))
                continue
            skip = SKIP_FIELDS.get(label, set())
            fields = [f.name for f in model._meta.concrete_fields if f.name not in skip]
            archive.writestr(
                f"{label}.json",
                serializers.serialize("json", rows, fields=fields, indent=2),
            )
    return buffer.getvalue()


def delete_organisation(org: Organisation) -> None:
    """Delete the organisation and, by cascade, everything that belongs to it."""
    with transaction.atomic():
        org.delete()
        checkpoint_after_commit()


def checkpoint(using: str = DEFAULT_DB_ALIAS) -> bool:
    """Move SQLite's write-ahead log into the database file and empty it.

    Returns whether a checkpoint ran to the end (False on PostgreSQL, where there is
    nothing to do, and when a long read elsewhere kept SQLite from finishing; the next
    deletion's checkpoint, or SQLite's own at 1000 pages, completes it).
    """
    connection = connections[using]
    if connection.vendor != "sqlite":
        return False
    try:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            busy = cursor.fetchone()[0]
    except DatabaseError:  # e.g. "table is locked" by a statement still reading: never fail
        busy = 1  # the deletion itself, which has committed; the next checkpoint completes
    if busy:
        log.warning("SQLite checkpoint after a deletion was blocked by a reader; retried later")
    return not busy


_queued: dict[str, Callable[[], Any]] = {}


def checkpoint_after_commit(using: str = DEFAULT_DB_ALIAS) -> None:
    """Checkpoint once the current transaction commits (at once outside one).

    Queued once per transaction however many rows it deletes: Django drops the queue on
    a rollback, so nothing is left pending then either.
    """
    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    run = _queued.setdefault(using, lambda: checkpoint(using))
    if connection.in_atomic_block and any(
        entry[1] is run
        for entry in connection.run_on_commit  # (savepoints, func, robust)
    ):
        return
    transaction.on_commit(run, using=using)


def _deleted(sender: type, using: str = DEFAULT_DB_ALIAS, **kwargs: Any) -> None:
    checkpoint_after_commit(using)


def watch_personal_data_deletions() -> None:
    """Connect the checkpoint to every deletion of personal data (OrganisationsConfig)."""
    for label in PERSONAL_DATA_MODELS:
        post_delete.connect(_deleted, sender=label, dispatch_uid=f"koers.checkpoint.{label}")
