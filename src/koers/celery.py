"""Celery application: the task queue for imports, PDF rendering, model fitting and e-mail.

Without ``CELERY_BROKER_URL`` tasks run in-process (eager), so a single
``make run`` works with nothing else installed. In production point
``CELERY_BROKER_URL`` at Redis and start ``celery -A koers.celery worker``
on as many machines as needed.
"""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "koers.settings")

app = Celery("koers")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(["koers.jobs", "koers.organisations"], related_name="retention")
app.autodiscover_tasks(["koers.jobs"])
app.autodiscover_tasks(["koers.reportbox"], related_name="digest")
