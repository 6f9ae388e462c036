"""Starting background jobs."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from koers.jobs.models import Job
from koers.organisations.models import Organisation


def start_job(
    organisation: Organisation, kind: str, params: dict[str, Any] | None = None, user: Any = None
) -> Job:
    """Create a job and queue it once the surrounding transaction commits.

    With no broker configured the task runs in-process right after the commit,
    so callers see a finished job; with a broker a worker picks it up.
    """
    from koers.jobs.tasks import run_job
    from koers.lib import hooks

    hooks.job_handlers.get(kind)  # fail now, not in the worker, for an unknown kind
    job: Job = Job.objects.create(
        organisation=organisation,
        kind=kind,
        params=params or {},
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )
    transaction.on_commit(lambda: run_job.delay(job.pk))
    return job
