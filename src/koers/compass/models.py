"""Scores, profile models and profile assignments of Career Compass responses.

Derived data only: scores and assignments hang off a response and are deleted
with it; a fitted :class:`ProfileModel` keeps parameters and fit indices, no
individual data.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from koers.organisations.models import OrganisationOwned
from koers.surveys.models import Campaign, Response


class ResponseScores(models.Model):
    response = models.OneToOneField(Response, on_delete=models.CASCADE, related_name="scores")
    # Fingerprint of the scoring key: scores are recomputed when a scoring rule changes.
    fingerprint = models.CharField(max_length=100)
    values = models.JSONField(default=dict)  # scale id -> mean score or None
    # Whether ``values`` are in the campaign's CampaignNorm (koers.compass.norm_store).
    counted = models.BooleanField(default=False)


class CampaignNorm(models.Model):
    """Counts of the finished respondents' scores of a campaign, kept up to date per finish.

    Counts only (score -> number of respondents), never who: what the norm group of the
    personal report needs (koers.compass.norm_store).
    Deleted (and rebuilt on next use) when a response of the campaign is deleted.
    """

    campaign = models.OneToOneField(Campaign, on_delete=models.CASCADE, related_name="norm")
    fingerprint = models.CharField(max_length=100)
    facets = models.JSONField(default=list)
    # scale -> {repr(score): count} over every counted row with a score on that scale
    scale_counts = models.JSONField(default=dict)


class ProfileModel(OrganisationOwned):
    """A latent profile model fitted on one campaign's population."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="profile_models")
    version = models.PositiveIntegerField()
    created = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    n_rows = models.PositiveIntegerField()
    lpa_model = models.PositiveSmallIntegerField(default=1)
    facets = models.JSONField()
    center = models.JSONField()
    scale = models.JSONField()
    weights = models.JSONField()
    means = models.JSONField()  # standardised, profiles × facets
    covariances = models.JSONField()
    fits = models.JSONField()  # fit indices per K (koers lpa's table)
    selected_k = models.PositiveSmallIntegerField()
    names = models.JSONField()  # [{key, nl, en, quality}]
    warnings = models.JSONField(default=list)

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "version"], name="one_model_version")
        ]

    def __str__(self) -> str:
        return f"{self.campaign} model v{self.version} (K={self.selected_k})"

    def label(self) -> str:
        return f"fitted-v{self.version}"


class ProfileAssignment(models.Model):
    response = models.OneToOneField(Response, on_delete=models.CASCADE, related_name="profile")
    model = models.ForeignKey(ProfileModel, null=True, blank=True, on_delete=models.SET_NULL)
    model_label = models.CharField(max_length=32)  # "reference" or "fitted-v<n>"
    posteriors = models.JSONField()
    # Calibrated probabilities per profile, then "none of these profiles"
    # (profiles.tempered_probabilities, for the reference and a fitted model); the
    # report's certainty words come from them. Empty in rows stored before calibration.
    calibrated = models.JSONField(default=list, blank=True)
    names = models.JSONField()  # [{key, nl, en}] in posterior order
    profile_index = models.PositiveSmallIntegerField()
    profile_key = models.CharField(max_length=32, blank=True)

    def name(self, language: str) -> str:
        entry: dict[str, Any] = self.names[self.profile_index]
        return str(entry.get(language) or entry.get("nl"))


class ReportShare(models.Model):
    """The respondent chose to show their report to one named HR person (withdrawable)."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="shares")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    created = models.DateField(default=timezone.localdate)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "user"], name="one_share_per_person")
        ]
        verbose_name = _("gedeeld rapport")


class Release(models.Model):
    """A frozen population of a campaign whose group figures may be shown (docs/privacy.md).

    Every viewer and every request sees the figures of the latest release, computed on its
    members that still exist (a deleted response drops out at once, without a new release).
    A new release is made only when at least k new finished responses arrived since the last
    one (invitation campaigns), or once when an open-link campaign has closed.
    ``planned`` is what the release showed when it was made: later releases treat it as
    already seen. ``figures`` is what it shows now (it only shrinks, after deletions).
    """

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="releases")
    number = models.PositiveIntegerField()
    created = models.DateTimeField(default=timezone.now)
    # Response ids only (never answers); a deleted response's id stays, pointing at nothing.
    response_ids = models.JSONField(default=list)
    planned = models.JSONField(default=list)
    figures = models.JSONField(default=list)
    n_planned = models.PositiveIntegerField(default=0)  # members present when last planned
    # Alpha and omega per scale on the members present (koers.compass.reliability), with the
    # key of the members and scoring key they were computed on; recomputed when it differs.
    reliability = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["campaign", "number"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "number"], name="one_release_number")
        ]

    def __str__(self) -> str:
        return f"{self.campaign} release {self.number}"
