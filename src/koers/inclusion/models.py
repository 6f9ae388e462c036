"""The frozen population of one inclusion-survey round whose figures may be shown."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from koers.organisations.models import OrganisationOwned
from koers.surveys.models import Campaign


class RoundRelease(models.Model):
    """Which figures of a closed round may be shown (``koers.stats.release.plan_release``).

    Made once, on the first view after the campaign closed (one fixed moment: nobody can
    watch the figures move as answers arrive). ``planned`` is what it showed then; after a
    respondent deletes their answers the round is re-planned with ``planned`` as already
    shown, and ``figures`` (what it shows now) can only shrink. Response ids only, never
    answers; a deleted response's id stays, pointing at nothing.
    """

    campaign = models.OneToOneField(
        Campaign, on_delete=models.CASCADE, related_name="inclusion_release"
    )
    created = models.DateTimeField(default=timezone.now)
    response_ids = models.JSONField(default=list)
    planned = models.JSONField(default=list)
    figures = models.JSONField(default=list)
    n_planned = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"release of {self.campaign}"


class SummaryLink(OrganisationOwned):
    """The public link to the inclusion summary, for employees without an account.

    The link's secret (:func:`koers.lib.codes.new_secret`) is looked up by its keyed hash
    (domain ``inclusion-summary``) and kept encrypted so HR and the works council can copy
    it again; switching the link off wipes both, so an old link never comes back
    (``koers.inclusion.summary``).
    """

    secret_hash = models.CharField(max_length=64, blank=True, db_index=True)
    secret_encrypted = models.TextField(blank=True)
    enabled = models.BooleanField(default=False)
    changed = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"], name="one_summary_link_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"summary link of {self.organisation}"
