"""Gender Scan workflows: upload, read, map, check, import (one transaction), discard.

The steps, each a thin layer over :mod:`koers.hrfile`::

    upload = create_upload(org, user, data, filename, reference_date)  # + job scan.read
    read_upload(upload)                  # headers, 10-row preview  (job)
    save_mapping(upload, mapping, user)  # remembered per organisation
    check_upload(upload, valid_only)     # all problems at once, or import (job scan.import)

Nothing becomes a :class:`~koers.scan.models.Snapshot` unless the whole file
is valid or the user explicitly chose to import only the valid rows; the
import runs in one transaction. A file for a reference date that already has a
snapshot becomes a new *pending* version of it, which replaces the current one only
when the HR analyst confirms (:mod:`koers.scan.versions`). Employee ids are
pseudonymised with a keyed hash before anything is stored (:func:`pseudonymise`).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import hmac
import io
import zipfile
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import pandas as pd
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from koers.hrfile import HRFileError, Problem, check_for_import, parse_employees, read_table
from koers.hrfile.cells import Cell
from koers.hrfile.columns import COLUMNS_BY_NAME, normalise_header, suggest_mapping
from koers.hrfile.validation import IMPORT_COLUMNS
from koers.jobs.models import Job
from koers.jobs.services import start_job
from koers.organisations.models import Organisation
from koers.scan.labels import column_label
from koers.scan.messages import translate_message
from koers.scan.models import ColumnMapping, Snapshot, Upload
from koers.scan.storage import encode_frame

MAX_UPLOAD_BYTES = 25 * 1024 * 1024
PREVIEW_ROWS = 10
STALE_UPLOAD_DAYS = 7
PSEUDONYM_HEX = 32  # 128 bits of HMAC-SHA256: collisions are out of reach for any workforce
REQUIRED_COLUMNS = IMPORT_COLUMNS
Progress = Callable[[int, str], None]

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_BINARY_MAGICS = {
    b"%PDF": "PDF",
    b"\x89PNG": "PNG",
    b"\xff\xd8\xff": "JPEG",
    b"GIF8": "GIF",
    b"\x1f\x8b": "gzip",
    b"Rar!": "RAR",
    b"7z\xbc\xaf": "7-Zip",
    b"MZ": "programma",
}


class UploadRefused(ValueError):
    """The file is not a CSV or ``.xlsx`` file; the message says so in Dutch."""


def sniff_format(data: bytes, filename: str) -> str:
    """``"csv"`` or ``"xlsx"`` from the content (the name only decides between the two).

    Refuses what is no table export at all, before anything is stored.
    """
    name = filename.lower()
    if not data.strip():
        raise UploadRefused(_("Het bestand is leeg."))
    if data.startswith(_OLE_MAGIC) or name.endswith(".xls"):
        raise UploadRefused(
            _(
                "Dit is een oud Excel-bestand (.xls), dat Koers niet kan lezen. Sla het in "
                "Excel op als .xlsx (Excel-werkmap) of als CSV en upload het opnieuw."
            )
        )
    if data.startswith(_ZIP_MAGIC):
        if _is_xlsx(data):
            return "xlsx"
        raise UploadRefused(
            _(
                "Dit bestand is een zip-archief, geen Excel-werkmap. Upload het CSV- of "
                ".xlsx-bestand zelf."
            )
        )
    if name.endswith((".xlsx", ".xlsm")):
        raise UploadRefused(
            _(
                "Dit bestand heet .xlsx maar is geen Excel-werkmap. Sla het in Excel opnieuw "
                "op als Excel-werkmap (.xlsx) of als CSV."
            )
        )
    for magic, kind in _BINARY_MAGICS.items():
        if data.startswith(magic):
            raise UploadRefused(
                _(
                    "Dit is een %(kind)s-bestand, geen HR-export. Exporteer de gegevens uit je "
                    "HR-systeem als CSV of als Excel-werkmap (.xlsx)."
                )
                % {"kind": kind}
            )
    head = data[:65536]
    utf16 = head.startswith((b"\xff\xfe", b"\xfe\xff"))
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 13))
    if not utf16 and (b"\x00" in head or controls > max(20, len(head) // 200)):
        raise UploadRefused(
            _(
                "Dit bestand bevat binaire gegevens en is geen CSV-bestand. Exporteer de "
                "gegevens uit je HR-systeem als CSV of als Excel-werkmap (.xlsx)."
            )
        )
    if not name.endswith((".csv", ".txt", ".tsv")):
        raise UploadRefused(_("Upload een CSV-bestand (.csv) of een Excel-werkmap (.xlsx)."))
    return "csv"


def _is_xlsx(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError):
        return False
    return "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names)


def create_upload(
    organisation: Organisation,
    user: Any,
    data: bytes,
    filename: str,
    reference_date: dt.date,
) -> Upload:
    """Store the file (checked by :func:`sniff_format`) and queue reading it."""
    file_format = sniff_format(data, filename)
    purge_stale_uploads(organisation)
    with transaction.atomic():
        upload: Upload = Upload.objects.create(
            organisation=organisation,
            filename=filename[:255],
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            file_format=file_format,
            data=data,
            reference_date=reference_date,
            created_by=user if getattr(user, "is_authenticated", False) else None,
        )
        job = start_job(organisation, "scan.read", {"upload": upload.pk}, user=user)
        Upload.objects.filter(pk=upload.pk).update(job=job)
        upload.job = job
    return upload


def purge_stale_uploads(organisation: Organisation) -> int:
    """Wipe the files of uploads left unfinished for more than a week."""
    cutoff = timezone.now() - dt.timedelta(days=STALE_UPLOAD_DAYS)
    stale = Upload.objects.for_org(organisation).filter(
        updated__lt=cutoff,
        status__in=[Upload.Status.READING, Upload.Status.MAPPING, Upload.Status.INVALID],
    )
    n = 0
    for upload in stale.defer("data"):
        discard_upload(upload)
        n += 1
    return n


def _cell_text(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, dt.datetime | dt.date):
        day = cell.date() if isinstance(cell, dt.datetime) else cell
        return f"{day.day}-{day.month}-{day.year}"
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell)


def read_upload(upload: Upload, progress: Progress | None = None) -> None:
    """Read the file's header and first rows; an unreadable file becomes a problem list."""
    if progress:
        progress(10, _("Bestand lezen"))
    saved = saved_mapping(upload.organisation)
    try:
        raw = read_table(bytes(upload.data), filename=upload.filename, expected_headers=saved)
    except HRFileError as error:
        _record_problems(upload, error.problems, usable=False, n_rows=0)
        return
    upload.headers = list(raw.headers)
    upload.header_row = raw.header_row
    upload.n_rows = len(raw)
    upload.preview = [
        [number, [_cell_text(c) for c in row]]
        for number, row in zip(raw.row_numbers[:PREVIEW_ROWS], raw.rows[:PREVIEW_ROWS], strict=True)
    ]
    upload.mapping = initial_mapping(upload.organisation, raw.headers)
    upload.status = Upload.Status.MAPPING
    upload.save()


def saved_mapping(organisation: Organisation) -> dict[str, str]:
    saved = ColumnMapping.objects.for_org(organisation).first()
    return dict(saved.mapping) if saved else {}


def initial_mapping(organisation: Organisation, headers: Sequence[str]) -> dict[str, str]:
    """``{header: canonical or ""}``: the saved choice for a header, else the suggestion."""
    saved = saved_mapping(organisation)
    suggested = suggest_mapping(headers)
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    for header in headers:
        key = normalise_header(header)
        if key in saved and saved[key] not in taken:
            mapping[header] = saved[key]
            taken.add(saved[key])
    for header in headers:
        if header in mapping:
            continue
        name = suggested.get(header, "")
        mapping[header] = "" if name in taken else name
        taken.add(name)
    return {h: (v if v in COLUMNS_BY_NAME else "") for h, v in mapping.items()}


def save_mapping(upload: Upload, mapping: dict[str, str], user: Any) -> None:
    """Confirm the upload's mapping and remember it for the organisation's next file."""
    upload.mapping = {h: c for h, c in mapping.items() if c}
    upload.save(update_fields=["mapping", "updated"])
    record, _created = ColumnMapping.objects.get_or_create(organisation=upload.organisation)
    record.mapping = {**record.mapping, **{normalise_header(h): c for h, c in mapping.items()}}
    record.updated_by = user if getattr(user, "is_authenticated", False) else None
    record.save()


def start_check(upload: Upload, user: Any, *, valid_only: bool = False) -> Job:
    """Queue the check (and, when clean or ``valid_only``, the import) of ``upload``."""
    with transaction.atomic():
        job = start_job(
            upload.organisation,
            "scan.import",
            {"upload": upload.pk, "valid_only": valid_only},
            user=user,
        )
        upload.status = Upload.Status.CHECKING
        upload.job = job
        upload.save(update_fields=["status", "job", "updated"])
    return job


def check_upload(
    upload: Upload, *, valid_only: bool = False, user: Any = None, progress: Progress | None = None
) -> Snapshot | None:
    """Parse and check every row; import when there is no problem or ``valid_only``.

    Returns the snapshot, or None when problems were found and recorded on the
    upload for the user to decide.
    """
    report = progress or (lambda pct, msg: None)
    report(5, _("Bestand lezen"))
    try:
        raw = read_table(
            bytes(upload.data), filename=upload.filename, expected_headers=upload.mapping
        )
    except HRFileError as error:
        _record_problems(upload, error.problems, usable=False, n_rows=0)
        return None
    report(15, _("Cellen controleren"))
    table = parse_employees(
        raw,
        upload.mapping,
        progress=lambda f: report(15 + round(60 * f), _("Cellen controleren")),
    )
    report(78, _("Rijen controleren"))
    checked = check_for_import(table, upload.reference_date)
    problems = list(checked.problems)
    employees = checked.employees
    if "reference_date" in table.present and checked.usable:
        employees, extra = _rows_on_reference_date(employees, upload.reference_date)
        problems += extra
    usable = checked.usable and not any(p.row is None for p in problems)
    n_invalid = len(checked.invalid_rows)
    if problems and not (valid_only and usable and len(employees)):
        _record_problems(
            upload,
            problems,
            usable=usable,
            n_rows=checked.n_rows,
            n_invalid=n_invalid,
            n_valid=len(employees),
        )
        return None
    report(88, _("Importeren"))
    snapshot = import_snapshot(upload, employees, n_skipped=n_invalid, user=user)
    report(100, _("Klaar"))
    return snapshot


def _rows_on_reference_date(
    employees: pd.DataFrame, day: dt.date
) -> tuple[pd.DataFrame, list[Problem]]:
    """A file with a reference-date column: keep the rows of the chosen date."""
    dates = employees["reference_date"]
    keep = (dates == pd.Timestamp(day)) | dates.isna()
    if keep.any():
        return employees.loc[keep].reset_index(drop=True), []
    found = ", ".join(sorted({d.strftime("%d-%m-%Y") for d in dates.dropna()}))
    message = f"has no row dated {day.isoformat()} (the file holds {found})"
    return employees.iloc[0:0], [Problem(None, "reference_date", message, "reference_date")]


def _record_problems(
    upload: Upload,
    problems: Iterable[Problem],
    *,
    usable: bool,
    n_rows: int,
    n_invalid: int = 0,
    n_valid: int = 0,
) -> None:
    items = [[p.row, p.column, p.message, p.field] for p in problems]
    upload.problems = items
    upload.n_problems = len(items)
    upload.n_invalid_rows = n_invalid
    upload.n_valid_rows = n_valid
    upload.n_rows = n_rows or upload.n_rows
    upload.usable = usable
    upload.status = Upload.Status.INVALID
    upload.save()


def pseudonymise(ids: Iterable[str], key: str) -> list[str]:
    """HMAC-SHA256 of each id under the organisation's secret key (hex, 128 bits).

    The same person gets the same pseudonym in every snapshot of the
    organisation (so later snapshots can be linked), and nobody without the key
    can recompute it from a known personnel number.
    """
    secret = key.encode("utf-8")
    return [
        hmac.new(secret, str(i).encode("utf-8"), hashlib.sha256).hexdigest()[:PSEUDONYM_HEX]
        for i in ids
    ]


def import_snapshot(
    upload: Upload, employees: pd.DataFrame, *, n_skipped: int = 0, user: Any = None
) -> Snapshot:
    """Store ``employees`` (valid rows) as the snapshot of the upload's reference date.

    One transaction: the snapshot is stored (pending confirmation when the date
    already has one), and the upload's file and problem list (which hold real ids) are wiped.
    """
    with transaction.atomic():
        snapshot = store_snapshot(
            upload.organisation,
            upload.reference_date,
            employees,
            filename=upload.filename,
            n_skipped=n_skipped,
            user=user,
        )
        upload.snapshot = snapshot
        upload.status = Upload.Status.IMPORTED
        upload.n_valid_rows = len(employees)
        wipe_upload(upload)
    return snapshot


def store_snapshot(
    organisation: Organisation,
    reference_date: dt.date,
    employees: pd.DataFrame,
    *,
    filename: str = "",
    n_skipped: int = 0,
    user: Any = None,
) -> Snapshot:
    """Pseudonymise and store checked rows as a new version of ``reference_date``.

    The first version of a date is current at once; a later one is *pending* until
    :func:`koers.scan.versions.confirm_replacement` (an earlier pending one gives way).
    """
    frame = employees.copy()
    frame["employee_id"] = pseudonymise(frame["employee_id"].tolist(), organisation.pseudonym_key)
    columns = [c for c in frame.columns if c in COLUMNS_BY_NAME]
    with transaction.atomic():
        versions = Snapshot.objects.versions_for(organisation, reference_date)
        versions.filter(status=Snapshot.Status.PENDING).delete()
        has_current = versions.filter(status=Snapshot.Status.CURRENT).exists()
        last = versions.aggregate(last=Max("version"))["last"] or 0
        snapshot: Snapshot = Snapshot.objects.create(
            organisation=organisation,
            reference_date=reference_date,
            version=last + 1,
            status=Snapshot.Status.PENDING if has_current else Snapshot.Status.CURRENT,
            data=encode_frame(frame),
            columns=columns,
            n_rows=len(frame),
            n_skipped=n_skipped,
            filename=filename[:255],
            created_by=user if getattr(user, "is_authenticated", False) else None,
        )
    return snapshot


def wipe_upload(upload: Upload) -> None:
    """Forget the file and everything quoting it (ids in problems and preview)."""
    upload.data = b""
    upload.problems = []
    upload.preview = []
    upload.save()


def discard_upload(upload: Upload) -> None:
    upload.status = Upload.Status.DISCARDED
    wipe_upload(upload)


def problem_rows(upload: Upload, limit: int | None = None) -> list[dict[str, Any]]:
    """The upload's problems for display: row, column, translated message."""
    items = upload.problems if limit is None else upload.problems[:limit]
    rows = []
    for row, column, message, field in items:
        label = column or ""
        if column and field and column == field:  # a canonical name: show its Dutch label
            label = column_label(field)
        rows.append({"row": row, "column": label, "message": translate_message(message)})
    return rows


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _neutralise(value: object) -> object:
    """Cells that a spreadsheet would run as a formula get a leading apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def problems_csv(upload: Upload) -> str:
    """Every problem as Dutch-Excel CSV (``;``, BOM), safe to open in a spreadsheet."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([_("Rij"), _("Kolom"), _("Probleem")])
    for item in problem_rows(upload):
        row = item["row"] if item["row"] is not None else _("hele bestand")
        writer.writerow(
            [_neutralise(row), _neutralise(item["column"]), _neutralise(item["message"])]
        )
    return out.getvalue()


def delete_expired_snapshots(cutoff: dt.date) -> int:
    """Retention: delete snapshots dated before ``cutoff`` and uploads created before it."""
    start = timezone.make_aware(dt.datetime.combine(cutoff, dt.time.min))
    n_snapshots = Snapshot.objects.filter(reference_date__lt=cutoff).delete()[0]
    n_uploads = Upload.objects.filter(created__lt=start).delete()[0]
    return int(n_snapshots + n_uploads)


def latest_snapshot(organisation: Organisation) -> Snapshot | None:
    latest: Snapshot | None = Snapshot.objects.current_for(organisation).first()
    return latest
