"""The pages of a PDF made in the background (:mod:`koers.jobs.pdf`): progress, download.

Every member may open them (``organisation.view``), but each answers only the member who
asked for the PDF, in the role they asked in (:func:`koers.jobs.pdf.job_of`); anyone else
gets 404.
"""

from __future__ import annotations

from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render

from koers.jobs import pdf as pdf_jobs
from koers.lib.pdf import pdf_response
from koers.organisations.access import OrgRequest, org_view


@org_view("organisation.view")
def pdf_job(request: OrgRequest, pk: int) -> HttpResponse:
    job = pdf_jobs.job_of(request, pk)
    stored = pdf_jobs.stored(job) if job.status == job.Status.DONE else None
    response = render(
        request,
        "jobs/pdf_job.html",
        {
            "job": job,
            "stored": stored,
            "expired": job.status == job.Status.DONE and stored is None,
            "back": job.params.get("back") or "",
            "keep_minutes": int(pdf_jobs.keep_for().total_seconds() // 60),
        },
    )
    response["Cache-Control"] = "no-store"
    return response


@org_view("organisation.view")
def pdf_job_status(request: OrgRequest, pk: int) -> HttpResponse:
    job = pdf_jobs.job_of(request, pk)
    data = job.as_dict()
    data.pop("result", None)
    response = JsonResponse(data)
    response["Cache-Control"] = "no-store"
    return response


@org_view("organisation.view")
def pdf_download(request: OrgRequest, pk: int) -> HttpResponse:
    job = pdf_jobs.job_of(request, pk)
    stored = pdf_jobs.stored(job)
    if stored is None or stored.user_id != request.user.pk:
        raise Http404("no such PDF, or no longer")
    return pdf_response(bytes(stored.content), stored.filename)
