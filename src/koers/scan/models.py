"""Gender Scan data: saved column mappings, uploads on their way in, and snapshots.

An :class:`Upload` holds an HR export while the HR analyst maps its columns and
looks at the problems; it is the only place the raw file (with real employee
ids) lives, in the database (never under the web root, never served back), and
its bytes and problem list are wiped as soon as it is imported or discarded
(:func:`koers.scan.services.wipe_upload`). A :class:`Snapshot` is the imported
result, with pseudonymised ids (see :mod:`koers.scan.storage` for why the rows
are one compressed blob). Every import is kept as a version of its reference
date: at most one version per date is *current*; a later file for the same date
waits as *pending* until the HR analyst confirms it, and the version it replaces
stays (*replaced*, with its data) for ``KOERS_SNAPSHOT_UNDO_DAYS`` so the
replacement can be undone, then is *removed* (its rows wiped, the record kept so
its page still answers). Read snapshots through :class:`SnapshotManager`
(``Snapshot.objects.current_for(org)``, ``history_for(org)``): other apps do.
"""

from __future__ import annotations

from typing import Any, ClassVar

import pandas as pd
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from koers.organisations.models import (
    Organisation,
    OrganisationOwned,
    TenantManager,
    TenantQuerySet,
)
from koers.scan.storage import decode_frame


class ColumnMapping(OrganisationOwned):
    """The organisation's confirmed mapping, reused for the next upload.

    ``mapping`` is ``{normalised source header: canonical name or ""}``; ``""``
    records that the user chose not to use a column, so it is not suggested again.
    """

    mapping = models.JSONField(default=dict, blank=True)
    updated = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("kolomkoppeling")
        verbose_name_plural = _("kolomkoppelingen")
        constraints = [
            models.UniqueConstraint(fields=["organisation"], name="scan_one_mapping_per_org")
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {len(self.mapping)} columns"


class Upload(OrganisationOwned):
    class Status(models.TextChoices):
        READING = "reading", _("Bestand wordt gelezen")
        MAPPING = "mapping", _("Kolommen koppelen")
        CHECKING = "checking", _("Controleren en importeren")
        INVALID = "invalid", _("Fouten gevonden")
        IMPORTED = "imported", _("Geïmporteerd")
        DISCARDED = "discarded", _("Verwijderd")

    status = models.CharField(max_length=16, choices=Status.choices, default=Status.READING)
    filename = models.CharField(max_length=255)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    file_format = models.CharField(max_length=8, blank=True)  # "csv" or "xlsx"
    # The file itself; emptied on import or discard (never served back).
    data = models.BinaryField(default=b"", editable=False)
    reference_date = models.DateField(_("peildatum"))
    header_row = models.PositiveIntegerField(null=True, blank=True)
    headers = models.JSONField(default=list, blank=True)
    # Up to 10 rows as text, with their spreadsheet row numbers: [[row, [cells...]], ...].
    preview = models.JSONField(default=list, blank=True)
    n_rows = models.PositiveIntegerField(default=0)
    mapping = models.JSONField(default=dict, blank=True)  # {source header: canonical}
    # [[row, column, message, field], ...] in koers.hrfile's (English) wording;
    # the views translate them. Emptied on import or discard (they quote ids).
    problems = models.JSONField(default=list, blank=True)
    n_problems = models.PositiveIntegerField(default=0)
    n_invalid_rows = models.PositiveIntegerField(default=0)
    n_valid_rows = models.PositiveIntegerField(default=0)
    usable = models.BooleanField(default=True)
    job = models.ForeignKey(
        "jobs.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    snapshot = models.ForeignKey(
        "scan.Snapshot", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("upload")
        verbose_name_plural = _("uploads")

    def __str__(self) -> str:
        return f"{self.filename} ({self.status})"

    @property
    def is_open(self) -> bool:
        """Still on its way in: can be mapped, checked or imported."""
        return self.status in {self.Status.MAPPING, self.Status.INVALID}


class SnapshotManager(TenantManager):
    """The one public way to read snapshots (the scan's pages and other apps use it).

    ``current_for(org)`` is the history as it stands: one snapshot per reference
    date, newest date first, without the stored rows (call ``.frame()`` on the one
    you need, or drop the ``defer`` yourself). ``history_for(org)`` is the same
    oldest first, for trends. ``versions_for(org, date)`` lists every version of one
    date (current, pending, replaced, removed), newest version first.
    """

    def current_for(self, organisation: Organisation) -> TenantQuerySet:
        return (
            self.for_org(organisation)
            .filter(status=Snapshot.Status.CURRENT)
            .defer("data")
            .order_by("-reference_date")
        )

    def history_for(self, organisation: Organisation) -> TenantQuerySet:
        return self.current_for(organisation).order_by("reference_date")

    def versions_for(self, organisation: Organisation, reference_date: Any) -> TenantQuerySet:
        return (
            self.for_org(organisation)
            .filter(reference_date=reference_date)
            .defer("data")
            .order_by("-version")
        )


class Snapshot(OrganisationOwned):
    """The imported employee file on one reference date (pseudonymised), one version of it."""

    class Status(models.TextChoices):
        CURRENT = "current", _("Geldig")
        PENDING = "pending", _("Wacht op bevestiging")
        REPLACED = "replaced", _("Vervangen, nog te herstellen")
        REMOVED = "removed", _("Vervangen en gewist")

    reference_date = models.DateField(_("peildatum"))
    data = models.BinaryField(editable=False)  # koers.scan.storage.encode_frame
    columns = models.JSONField(default=list)  # canonical columns the file had
    n_rows = models.PositiveIntegerField(default=0)
    n_skipped = models.PositiveIntegerField(default=0)  # invalid rows left out on request
    filename = models.CharField(max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)
    # Versions of one reference date (koers.scan.versions): 1, 2, ... in upload order.
    version = models.PositiveIntegerField(default=1)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.CURRENT)
    replaced_at = models.DateTimeField(null=True, blank=True)
    replaced_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects: ClassVar[SnapshotManager] = SnapshotManager()

    class Meta:
        ordering = ["-reference_date", "-version"]
        verbose_name = _("nulmeting")
        verbose_name_plural = _("nulmetingen")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "reference_date"],
                condition=models.Q(status="current"),
                name="scan_one_current_snapshot_per_date",
            ),
            models.UniqueConstraint(
                fields=["organisation", "reference_date"],
                condition=models.Q(status="pending"),
                name="scan_one_pending_snapshot_per_date",
            ),
            models.UniqueConstraint(
                fields=["organisation", "reference_date", "version"],
                name="scan_one_snapshot_per_version",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.reference_date.isoformat()} v{self.version}"

    def frame(self) -> pd.DataFrame:
        return decode_frame(bytes(self.data))

    def has_column(self, name: str) -> bool:
        return name in self.columns

    @property
    def is_current(self) -> bool:
        return self.status == self.Status.CURRENT
