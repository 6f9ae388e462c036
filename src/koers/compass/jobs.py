"""Background job: fit a profile model for a campaign, with progress."""

from __future__ import annotations

from typing import Any

from koers.compass import reliability
from koers.compass.services import fit_campaign_model
from koers.jobs.models import Job
from koers.surveys.models import Campaign


def fit_model(job: Job) -> dict[str, Any]:
    campaign = Campaign.objects.for_org(job.organisation).get(pk=job.params["campaign_id"])

    def progress(done: int, total: int) -> None:
        # fitting.fit_profiles reports thousandths: the EM fits, then the bootstrap tests.
        job.set_progress(round(95 * done / max(total, 1)), f"{round(100 * done / max(total, 1))}%")

    model = fit_campaign_model(campaign, user=job.created_by, progress=progress)
    reliability.precompute(campaign)  # the profile check page reads it from the release
    return {"model_id": model.pk, "version": model.version, "selected_k": model.selected_k}
