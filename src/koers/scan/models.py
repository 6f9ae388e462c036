"""Gender Scan data: saved column mappings, uploads on their way in, and snapshots.

An :class:`Upload` holds an HR export while the HR analyst maps its columns and
looks at the problems; it is the only place the raw file (with real employee
ids) lives, in the database (never under the web root, never served back), and
its bytes and problem list are wiped as soon as it is imported or discarded
(:func:`koers.scan.services.wipe_upload`). A :class:`Snapshot` is the imported
result: one per reference date per organisation, with pseudonymised ids (see
:mod:`koers.scan.storage` for why the rows are one compressed blob).
"""

from __future__ import annotations

import pandas as pd
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from koers.organisations.models import OrganisationOwned
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


class Snapshot(OrganisationOwned):
    """The imported employee file on one reference date (pseudonymised)."""

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

    class Meta:
        ordering = ["-reference_date"]
        verbose_name = _("nulmeting")
        verbose_name_plural = _("nulmetingen")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "reference_date"], name="scan_one_snapshot_per_date"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.reference_date.isoformat()}"

    def frame(self) -> pd.DataFrame:
        return decode_frame(bytes(self.data))

    def has_column(self, name: str) -> bool:
        return name in self.columns
