"""Job handlers that belong to no particular app."""

from __future__ import annotations

from typing import Any

from django.core.mail import send_mail

from koers.jobs.models import Job


def send_email(job: Job) -> dict[str, Any]:
    """Send one e-mail; params: subject, body, to (list of addresses)."""
    recipients = list(job.params.get("to", []))
    sent = send_mail(
        subject=str(job.params.get("subject", "")),
        message=str(job.params.get("body", "")),
        from_email=None,
        recipient_list=recipients,
    )
    return {"sent": sent}


def selfcheck(job: Job) -> dict[str, Any]:
    """A small job that reports progress: shows a newcomer the queue works end to end."""
    steps = int(job.params.get("steps", 5))
    total = 0
    for step in range(1, steps + 1):
        total += step
        job.set_progress(round(100 * step / steps), f"stap {step} van {steps}")
    return {"steps": steps, "sum": total}
