"""Applicant files: one import per upload, its candidates pseudonymised."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from koers.organisations.models import OrganisationOwned


class ApplicantImport(OrganisationOwned):
    """One applicant file as imported: its stages and, optionally, the labour market."""

    filename = models.CharField(max_length=255, blank=True)
    stages = models.JSONField(default=list)  # the stage names, in order
    n_rows = models.PositiveIntegerField(default=0)
    # Stage 0: women's share of the relevant labour market, as the organisation states it.
    labour_market_share = models.DecimalField(
        _("aandeel vrouwen op de arbeidsmarkt"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
    )
    labour_market_source = models.CharField(_("bron"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.n_rows})"


class Applicant(OrganisationOwned):
    """A candidate: a keyed hash of the id, never the id itself."""

    upload = models.ForeignKey(ApplicantImport, on_delete=models.CASCADE, related_name="applicants")
    pseudonym = models.CharField(max_length=16)
    job_family = models.CharField(max_length=120, blank=True)
    gender = models.CharField(max_length=8)  # female, male, other
    application_date = models.DateField(null=True, blank=True)
    stage_index = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["upload", "pseudonym"], name="recruitment_one_row")
        ]


class SavedVacancy(OrganisationOwned):
    """A vacancy text the user chose to keep, with the check's counts at the time.

    Texts are checked without being stored; only "Bewaar" creates one of these. The page
    checks the text again when it is opened, so a corrected word list shows at once."""

    title = models.CharField(_("functietitel"), max_length=200, blank=True)
    text = models.TextField(_("vacaturetekst"))
    lang = models.CharField(max_length=2)
    n_masculine = models.PositiveIntegerField(default=0)
    n_feminine = models.PositiveIntegerField(default=0)
    lean = models.CharField(max_length=12)
    findings = models.JSONField(default=list)  # the finding codes when saved
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created", "-pk"]

    def __str__(self) -> str:
        return self.title or self.text[:60]


class AppraisalRound(OrganisationOwned):
    """One round of appraisals as imported: employees and reviewers only as keyed hashes;
    the written texts measured on import and kept only if the organisation chose to."""

    name = models.CharField(_("naam van de ronde"), max_length=120)
    filename = models.CharField(max_length=255, blank=True)
    n_rows = models.PositiveIntegerField(default=0)
    keep_texts = models.BooleanField(_("teksten bewaren"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created", "-pk"]

    def __str__(self) -> str:
        return self.name


class Appraisal(OrganisationOwned):
    """One employee's appraisal in a round: the rating and the measures of its text."""

    round = models.ForeignKey(AppraisalRound, on_delete=models.CASCADE, related_name="appraisals")
    employee = models.CharField(max_length=16)  # keyed hash
    reviewer = models.CharField(max_length=16)  # keyed hash
    gender = models.CharField(max_length=8)
    job_level = models.CharField(max_length=60)
    rating = models.FloatField()
    words = models.PositiveIntegerField(default=0)
    personality = models.FloatField(default=0)
    achievement = models.FloatField(default=0)
    result_share = models.FloatField(default=0)
    doubt = models.FloatField(default=0)
    text = models.TextField(blank=True)  # empty unless the round keeps texts

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "employee"], name="recruitment_one_appraisal")
        ]
