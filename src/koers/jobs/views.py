"""The pages of a file made in the background (:mod:`koers.jobs.downloads`): progress,
download.

Every member may open them (``organisation.view``), but each answers only the member who
asked for the file, in the role they asked in (:func:`koers.jobs.downloads.job_of`); anyone
else gets 404.
"""

from __future__ import annotations

from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render

from koers.jobs import downloads
from koers.organisations.access import OrgRequest, org_view


@org_view("organisation.view")
def download_job(request: OrgRequest, pk: int) -> HttpResponse:
    job = downloads.job_of(request, pk)
    stored = downloads.stored(job) if job.status == job.Status.DONE else None
    builder = downloads.builder_of(job)
    response = render(
        request,
        "jobs/download_job.html",
        {
            "job": job,
            "stored": stored,
            "is_pdf": builder is None or builder.is_pdf,
            "expired": job.status == job.Status.DONE and stored is None,
            "back": job.params.get("back") or "",
            "keep_minutes": int(downloads.keep_for().total_seconds() // 60),
        },
    )
    response["Cache-Control"] = "no-store"
    return response


@org_view("organisation.view")
def download_job_status(request: OrgRequest, pk: int) -> HttpResponse:
    job = downloads.job_of(request, pk)
    data = job.as_dict()
    data.pop("result", None)
    response = JsonResponse(data)
    response["Cache-Control"] = "no-store"
    return response


@org_view("organisation.view")
def download_file(request: OrgRequest, pk: int) -> HttpResponse:
    job = downloads.job_of(request, pk)
    stored = downloads.stored(job)
    if stored is None or stored.user_id != request.user.pk:
        raise Http404("no such file, or no longer")
    content = bytes(stored.content)
    # As koers.lib.pdf.pdf_response: an attachment that no cache keeps.
    response = HttpResponse(content, content_type=stored.content_type)
    response["Content-Disposition"] = f'attachment; filename="{stored.filename}"'
    response["Cache-Control"] = "no-store"
    response["Content-Length"] = str(len(content))
    return response
