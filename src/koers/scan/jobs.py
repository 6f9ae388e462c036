"""Background work of the Gender Scan: reading an upload, and checking + importing it.

A 20 MB export takes longer to parse and check than a web request may last,
so both steps run as :class:`~koers.jobs.models.Job` s with progress; the
upload's progress page polls the job and moves on when it is done.
"""

from __future__ import annotations

from typing import Any

from django.utils import translation

from koers.jobs.models import Job
from koers.scan import services
from koers.scan.models import Upload


def _upload(job: Job) -> Upload:
    upload: Upload = Upload.objects.for_org(job.organisation).get(pk=int(job.params["upload"]))
    return upload


def read_upload(job: Job) -> dict[str, Any]:
    """params: upload (pk). Reads the header and a preview for the mapping page."""
    upload = _upload(job)
    if upload.status != Upload.Status.READING:  # discarded meanwhile, or read twice
        return {"upload": upload.pk, "status": upload.status, "skipped": True}
    with translation.override("nl"):
        services.read_upload(upload, progress=job.set_progress)
    return {"upload": upload.pk, "status": upload.status, "n_rows": upload.n_rows}


def check_and_import(job: Job) -> dict[str, Any]:
    """params: upload (pk), valid_only (bool). Checks every row; imports when allowed."""
    upload = _upload(job)
    if upload.status != Upload.Status.CHECKING or upload.job_id != job.pk:
        # Discarded or imported meanwhile, or a newer check replaced this one.
        return {"upload": upload.pk, "status": upload.status, "skipped": True}
    with translation.override("nl"):
        snapshot = services.check_upload(
            upload,
            valid_only=bool(job.params.get("valid_only", False)),
            user=job.created_by,
            progress=job.set_progress,
        )
    if snapshot is None:
        return {"upload": upload.pk, "status": upload.status, "n_problems": upload.n_problems}
    return {"upload": upload.pk, "status": upload.status, "snapshot": snapshot.pk}
