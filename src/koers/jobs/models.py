"""Background jobs with progress, owned by an organisation.

A :class:`Job` row is the user-visible record of a piece of background work
(an HR import, a PDF, a model fit, an e-mail). The web page polls it for
progress; the Celery task in :mod:`koers.jobs.tasks` runs the handler
registered for its ``kind``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from koers.organisations.models import OrganisationOwned


class Job(OrganisationOwned):
    class Status(models.TextChoices):
        QUEUED = "queued", _("In de wachtrij")
        RUNNING = "running", _("Bezig")
        DONE = "done", _("Klaar")
        FAILED = "failed", _("Mislukt")

    kind = models.CharField(max_length=64)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)  # 0..100
    message = models.CharField(max_length=300, blank=True)
    params = models.JSONField(default=dict, blank=True)
    result = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created = models.DateTimeField(auto_now_add=True)
    started = models.DateTimeField(null=True, blank=True)
    finished = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}

    def set_progress(self, progress: int, message: str = "") -> None:
        """Record progress (0–100) without touching other fields, so pollers see it at once."""
        self.progress = max(0, min(100, int(progress)))
        self.message = message[:300]
        Job.objects.filter(pk=self.pk).update(progress=self.progress, message=self.message)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.pk,
            "kind": self.kind,
            "status": self.status,
            "status_display": str(self.get_status_display()),
            "progress": self.progress,
            "message": self.message,
            "result": self.result,
            "finished": self.is_finished,
            "created": self.created.isoformat() if self.created else None,
            "finished_at": self.finished.isoformat() if self.finished else None,
        }

    def mark(self, status: str, **fields: Any) -> None:
        self.status = status
        now = timezone.now()
        if status == self.Status.RUNNING:
            self.started = now
        if status in {self.Status.DONE, self.Status.FAILED}:
            self.finished = now
        for key, value in fields.items():
            setattr(self, key, value)
        self.save()


class StoredDownload(OrganisationOwned):
    """A file made by a background job (:mod:`koers.jobs.downloads`), for the one member who
    asked: a PDF report or a research export.

    Kept only until ``expires`` (``KOERS_PDF_KEEP_MINUTES``): the download refuses it after
    that and every new download job deletes the expired ones; the retention rule
    ``generated_pdfs`` removes anything older than a day in case no one asks again. The
    member's role when asked is kept with it: a PDF made for HR (every figure with its n)
    is not handed to the same person after their role changed.
    """

    job = models.OneToOneField(Job, on_delete=models.CASCADE, related_name="download")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    role = models.CharField(max_length=32)
    filename = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100, default="application/pdf")
    content = models.BinaryField()
    created = models.DateTimeField(auto_now_add=True)
    expires = models.DateTimeField()

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.filename} for user {self.user_id}"
