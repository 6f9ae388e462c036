"""Slow downloads as background jobs: progress while the file is made, then a download.

One seam for every file that can take more than a second to make: the slow PDFs (the
Gender Scan report, the team scan) and the research export of a campaign (CSV, Excel,
SPSS). A view that offers such a file has a builder (:class:`koers.lib.hooks.DownloadBuilder`:
a permission, a ``build`` function and the file's content type) in the hook
``download_builders``, added under a name in its app's ``extensions.py``, and answers the
request (a POST) with :func:`start`. That stores a job of kind ``"download"`` with what
the builder needs to rebuild the member's request (the query string, the language, the
member's role) and sends the member to the progress page (``/o/<org>/download/<job>/``):
a ``<progress>`` bar and a polite live region, polled by ``koers.js`` and, without
JavaScript, refreshed by a ``<noscript>`` meta refresh. When the job is done the page
offers the download.

Who may download (tests/foundation/test_download_jobs.py):

- only the member who asked: any other account, whatever its role, gets 404 on the
  progress page, its status and the download;
- only in the role they had when they asked, and only while that role still holds the
  builder's permission: a PDF made for HR (every figure with its n) does not leave HR when
  the person's role changes;
- only for ``KOERS_PDF_KEEP_MINUTES`` minutes (the name is older than the other files);
  after that it is deleted (each new download job deletes expired ones; the retention rule
  ``generated_pdfs`` is the daily backstop);
- with ``Cache-Control: no-store``.

Without ``CELERY_BROKER_URL`` the job runs in-process before the redirect, so the progress
page opens finished; the start button then shows the wait in the page (``koers.js``,
``data-pdf-start``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from koers.jobs.errors import JobError
from koers.jobs.models import Job, StoredDownload
from koers.jobs.services import start_job
from koers.lib import hooks
from koers.organisations.access import OrgRequest, can
from koers.organisations.models import Membership
from koers.organisations.permissions import allows

KIND = "download"


def keep_for() -> dt.timedelta:
    return dt.timedelta(minutes=int(settings.KOERS_PDF_KEEP_MINUTES))


def delete_expired(now: dt.datetime | None = None) -> int:
    """Delete every stored file past its download time; returns how many went."""
    deleted: int = StoredDownload.objects.filter(expires__lte=now or timezone.now()).delete()[0]
    return deleted


def delete_before(cutoff: dt.date) -> int:
    """The retention rule: files made before ``cutoff`` and any already expired."""
    start = timezone.make_aware(dt.datetime.combine(cutoff, dt.time.min))
    old: int = StoredDownload.objects.filter(created__lt=start).delete()[0]
    return old + delete_expired()


def start(
    request: OrgRequest, name: str, args: dict[str, Any] | None = None, *, back: str = ""
) -> HttpResponse:
    """Queue the file ``name`` for the member behind ``request``; go to its progress page."""
    builder = hooks.download_builders.get(name)
    if not can(request, builder.permission):
        raise Http404("no such download for this role")
    delete_expired()
    job = start_job(
        request.organisation,
        KIND,
        {
            "builder": name,
            "args": args or {},
            "query": request.GET.urlencode(),
            "language": translation.get_language() or settings.LANGUAGE_CODE,
            "role": request.membership.role,
            "back": back,
        },
        user=request.user,
    )
    return redirect("download_job", org=request.organisation.slug, pk=job.pk)


def job_of(request: OrgRequest, pk: int) -> Job:
    """The download job ``pk`` if the member behind ``request`` asked for it in their current
    role and that role may still have it; otherwise 404 (its existence is not confirmed)."""
    job: Job | None = (
        Job.objects.for_org(request.organisation)
        .filter(pk=pk, kind=KIND, created_by=request.user)
        .first()
    )
    if job is None or job.params.get("role") != request.membership.role:
        raise Http404("no such download")
    builder = builder_of(job)
    if builder is None or not can(request, builder.permission):
        raise Http404("no such download")
    return job


def builder_of(job: Job) -> hooks.DownloadBuilder | None:
    """The builder that makes the job's file, or None if it is no longer registered."""
    try:
        return hooks.download_builders.get(str(job.params.get("builder")))
    except LookupError:
        return None


def stored(job: Job) -> StoredDownload | None:
    """The job's file while it may still be downloaded."""
    found: StoredDownload | None = StoredDownload.objects.filter(
        job=job, expires__gt=timezone.now()
    ).first()
    return found


def _rebuilt_request(job: Job, permission: str) -> OrgRequest:
    """The asking member's request as the builder needs it, checked again in the job."""
    params = job.params
    membership = (
        Membership.objects.select_related("organisation", "user")
        .filter(organisation=job.organisation, user=job.created_by)
        .first()
    )
    if membership is None or membership.role != params.get("role"):
        raise JobError(_("Je rol is veranderd sinds je het bestand vroeg. Vraag het opnieuw aan."))
    if not allows(membership.role, permission):
        raise JobError(_("Je rol geeft geen toegang tot dit bestand."))
    request = HttpRequest()
    request.method = "GET"
    request.GET = QueryDict(str(params.get("query", "")))
    request.META.update({"SERVER_NAME": "koers", "SERVER_PORT": "80"})
    request.user = membership.user
    request.LANGUAGE_CODE = translation.get_language() or settings.LANGUAGE_CODE
    org_request: OrgRequest = request  # type: ignore[assignment]
    org_request.organisation = membership.organisation
    org_request.membership = membership
    return org_request


def make_file(job: Job) -> dict[str, Any]:
    """The job handler of kind ``"download"``: build, then keep the bytes for the asker only."""
    params = job.params
    builder = builder_of(job)
    if builder is None:
        raise JobError(_("Dit bestand bestaat niet (meer)."))
    with translation.override(str(params.get("language") or settings.LANGUAGE_CODE)):
        request = _rebuilt_request(job, builder.permission)
        job.set_progress(5, _("Gegevens verzamelen"))
        content, filename = builder.build(request, dict(params.get("args") or {}), job.set_progress)
        job.set_progress(98, _("Bestand bewaren"))
    now = timezone.now()
    StoredDownload.objects.create(
        organisation=job.organisation,
        job=job,
        user=request.user,
        role=request.membership.role,
        filename=filename,
        content_type=builder.content_type,
        content=content,
        expires=now + keep_for(),
    )
    return {"filename": filename, "size": len(content)}
