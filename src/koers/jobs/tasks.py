"""The one Celery task: run a :class:`~koers.jobs.models.Job` by its registered handler."""

from __future__ import annotations

from celery import shared_task

from koers.jobs.errors import failure_message
from koers.jobs.models import Job
from koers.lib import hooks


@shared_task(name="koers.jobs.run_job")  # type: ignore[untyped-decorator]
def run_job(job_id: int) -> str:
    job: Job = Job.objects.get(pk=job_id)
    if job.is_finished:
        return str(job.status)
    job.mark(Job.Status.RUNNING)
    try:
        result = hooks.job_handlers.get(job.kind)(job)
    except Exception as exc:  # the job records a safe message; the traceback goes to the log
        job.mark(Job.Status.FAILED, message=failure_message(exc, job_id=job.pk, kind=job.kind))
        return str(job.status)
    job.mark(Job.Status.DONE, progress=100, result=result or {})
    return str(job.status)
