"""What the Career Compass plugs into Koers (the hooks are in :mod:`koers.lib.hooks`)."""

from __future__ import annotations

from django.urls import reverse

from koers.compass import demo, jobs, manage_views, services
from koers.lib import hooks
from koers.surveys.models import Response


def personal_report_url(response: Response, slot: str) -> str | None:
    """The personal report, for Career Compass responses only."""
    if not services.is_compass(response):
        return None
    return reverse("compass_report", kwargs={"slot": slot})


hooks.job_handlers.register("compass.fit_model", jobs.fit_model)
hooks.demo_loaders.register(demo.load_demo_respondents)
hooks.demo_loaders.register(demo.load_demo_shared_report)
# A finished response is scored and assigned a profile at once; the respondent then
# sees the personal report, and the data download includes the scores and profile.
hooks.response_finished.register(services.process_finished)
hooks.respondent_report.register(personal_report_url)
hooks.respondent_data.register(services.derived_data)
# The team scan PDF is made in the background (koers.jobs.downloads).
hooks.download_builders.register(
    "compass.teamscan", hooks.DownloadBuilder("compass.view_teamscan", manage_views.build_scan_pdf)
)
