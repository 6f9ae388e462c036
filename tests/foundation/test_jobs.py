"""Background jobs: in-process by default, and through a real Celery worker on Redis."""

from __future__ import annotations

import logging
import os
import re
import time
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse
from tests.conftest import require_redis

from koers.jobs.errors import JobError
from koers.jobs.models import Job
from koers.jobs.services import start_job
from koers.lib import hooks

REDIS_URL = os.environ.get("KOERS_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def test_a_job_runs_in_process_and_records_its_progress(
    org_a: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        job = start_job(org_a, "selfcheck", {"steps": 4})
    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    assert job.progress == 100
    assert job.result == {"steps": 4, "sum": 10}


def test_a_failing_job_is_marked_failed_with_a_message(
    org_a: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        bad = start_job(org_a, "selfcheck", {"steps": "many"})
    bad.refresh_from_db()
    assert bad.status == Job.Status.FAILED
    assert "foutnummer" in bad.message
    assert "many" not in bad.message  # the exception's own text is never stored


LEAKY_TEXT = "row 12: jan.de.vries@example.nl earns 4321.50 a month"


def _leaky_failure(job: Job) -> dict[str, Any]:
    raise ValueError(LEAKY_TEXT)  # like a parser quoting the row it choked on


def _user_error(job: Job) -> dict[str, Any]:
    raise JobError("Er zijn te weinig afgeronde antwoorden.")


hooks.job_handlers.register("test.leaky_failure", _leaky_failure)
hooks.job_handlers.register("test.user_error", _user_error)


def test_a_failed_job_stores_and_shows_no_personal_data_from_the_exception(
    client: Any, alice: Any, org_a: Any, django_capture_on_commit_callbacks: Any, caplog: Any
) -> None:
    with caplog.at_level(logging.ERROR, logger="koers.jobs"):
        with django_capture_on_commit_callbacks(execute=True):
            job = start_job(org_a, "test.leaky_failure", user=alice)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    for secret in ("jan.de.vries@example.nl", "4321.50", "row 12"):
        assert secret not in job.message
    reference = re.search(r"[0-9A-F]{8}", job.message)
    assert reference is not None  # an error reference the administrator can look up
    client.force_login(alice)
    page = client.get(reverse("job", kwargs={"org": "alpha", "pk": job.pk})).content.decode()
    status = client.get(reverse("job_status", kwargs={"org": "alpha", "pk": job.pk})).content
    assert "jan.de.vries" not in page
    assert "4321.50" not in page
    assert b"jan.de.vries" not in status
    assert b"4321.50" not in status
    assert reference.group() in page
    # The traceback is in the log, under the same reference, with the address masked.
    logged = caplog.text
    assert reference.group() in logged
    assert "ValueError" in logged
    assert "jan.de.vries@example.nl" not in logged


def test_a_user_facing_job_error_shows_its_own_message(
    org_a: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        job = start_job(org_a, "test.user_error")
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.message == "Er zijn te weinig afgeronde antwoorden."


def test_an_unknown_job_kind_is_refused_before_queueing(org_a: Any) -> None:
    with pytest.raises(LookupError, match="no handler"):
        start_job(org_a, "does-not-exist")
    assert Job.objects.count() == 0


def test_the_email_job_sends_mail(org_a: Any, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        start_job(org_a, "email", {"to": ["a@example.org"], "subject": "Hoi", "body": "Test"})
    assert [m.subject for m in mail.outbox] == ["Hoi"]


def test_hr_starts_a_job_from_the_dashboard_and_sees_its_status(
    client: Any, alice: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("start_selfcheck", kwargs={"org": "alpha"}))
    assert response.status_code == 302
    job = Job.objects.get()
    page = client.get(response["Location"])
    assert b'<progress id="job-progress" max="100" value="100">' in page.content
    assert (
        client.get(reverse("job_status", kwargs={"org": "alpha", "pk": job.pk})).json()["status"]
        == "done"
    )


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_job_runs_through_a_real_celery_worker_on_redis(settings: Any) -> None:
    """The production path: the web process queues on Redis, a worker process picks it up."""
    require_redis()
    from celery.contrib.testing.worker import start_worker

    from koers.celery import app
    from koers.organisations.models import Organisation

    org = Organisation.objects.create(name="Queue Test", slug="queue")

    def use_broker(url: str | None, eager: bool) -> None:
        # The connection and producer pools are cached on first use: drop them with the URL.
        app.conf.update(broker_url=url, task_always_eager=eager)
        app._pool = None
        app.amqp._producer_pool = None

    use_broker(REDIS_URL, eager=False)
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()  # no stale messages from earlier runs
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            job = start_job(org, "selfcheck", {"steps": 3})  # autocommit: queued at once
            for _ in range(300):  # up to 30 s on a busy machine
                job.refresh_from_db()
                if job.is_finished:
                    break
                time.sleep(0.1)
    finally:
        use_broker("memory://", eager=True)
    assert job.status == Job.Status.DONE, job.message
    assert job.result == {"steps": 3, "sum": 6}
    assert job.started is not None
