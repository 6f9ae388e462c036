"""The one Celery task: run a :class:`~koers.jobs.models.Job` by its registered handler."""

from __future__ import annotations

import logging

from celery import shared_task

from koers.jobs.models import Job
from koers.jobs.registry import get_handler

log = logging.getLogger(__name__)


@shared_task(name="koers.jobs.run_job")  # type: ignore[untyped-decorator]
def run_job(job_id: int) -> str:
    job: Job = Job.objects.get(pk=job_id)
    if job.is_finished:
        return str(job.status)
    job.mark(Job.Status.RUNNING)
    try:
        result = get_handler(job.kind)(job)
    except Exception as exc:  # the job records the failure for the user
        log.exception("job %s failed", job_id)
        job.mark(Job.Status.FAILED, message=str(exc)[:300] or exc.__class__.__name__)
        return str(job.status)
    job.mark(Job.Status.DONE, progress=100, result=result or {})
    return str(job.status)
