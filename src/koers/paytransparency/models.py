"""Categories of workers (Art. 4) as versions, and workers' information requests (Art. 7).

A :class:`CategoryScheme` is one version of the organisation's job evaluation: the weights of
the four criteria of Art. 4(4), each job's scores and the category HR put it in. A version is
never edited: a change is a new version (:func:`koers.paytransparency.services.save_scheme`),
so a figure can say which version it used. The works council's agreement is recorded on the
version it agreed to. An :class:`InformationRequest` holds a worker's pseudonym (the snapshot's
id, never the employee number), the date received and, once answered, the figures of the letter
as they were sent.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from koers.organisations.models import OrganisationOwned

CRITERIA = ("skills", "effort", "responsibility", "conditions")


class CategoryScheme(OrganisationOwned):
    version = models.PositiveIntegerField()
    # {"skills": 40, "effort": 20, "responsibility": 30, "conditions": 10}, in percent.
    weights = models.JSONField(default=dict)
    weights_note = models.TextField(_("toelichting op de wegingen"), blank=True)
    # {job: {"scores": {criterion: 1..5}, "category": name}}
    jobs = models.JSONField(default=dict)
    council_agreed_on = models.DateField(_("datum instemming OR"), null=True, blank=True)
    council_note = models.CharField(_("kenmerk of toelichting"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "version"], name="paytransparency_one_scheme_per_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} categories v{self.version}"

    def mapping(self) -> dict[str, str]:
        return {job: str(v["category"]) for job, v in self.jobs.items() if v.get("category")}

    def job_score(self, job: str) -> float:
        scores = self.jobs.get(job, {}).get("scores", {})
        total = sum(float(self.weights.get(c, 0)) * float(scores.get(c, 0)) for c in CRITERIA)
        return total / 100.0

    def categories(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for job, category in sorted(self.mapping().items()):
            out.setdefault(category, []).append(job)
        return dict(sorted(out.items()))


class InformationRequest(OrganisationOwned):
    class Language(models.TextChoices):
        NL = "nl", "Nederlands"
        EN = "en", "English"

    worker = models.CharField(_("werknemer (pseudoniem)"), max_length=64)
    received_on = models.DateField(_("datum ontvangen"))
    language = models.CharField(
        _("taal van de brief"), max_length=2, choices=Language.choices, default=Language.NL
    )
    answered_on = models.DateField(_("datum beantwoord"), null=True, blank=True)
    # The letter's figures as sent (koers.paytransparency.letters.LetterFigures.to_dict()).
    answer: Any = models.JSONField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["answered_on", "received_on", "pk"]

    def __str__(self) -> str:
        return f"request {self.pk} of {self.received_on}"

    @property
    def deadline(self) -> dt.date:
        from koers.paytransparency.clock import answer_deadline

        return answer_deadline(self.received_on)

    def overdue(self, today: dt.date) -> bool:
        return self.answered_on is None and today > self.deadline


class PayAssessment(OrganisationOwned):
    """Art. 10: a category whose mean gap is 5 % or more, followed from the report's date.

    The gap must be justified by objective, gender-neutral criteria or remedied within six
    months of the report's date; otherwise the employer carries out a joint pay assessment
    with the workers' representatives. HR records the justification, the date the
    representatives agreed, and the measures; the figures are read live from the scan.
    """

    category = models.CharField(_("categorie"), max_length=200)
    report_date = models.DateField(_("datum van het verslag"))
    scheme_version = models.PositiveIntegerField(null=True, blank=True)
    justification = models.TextField(_("rechtvaardiging"), blank=True)
    agreed_on = models.DateField(_("besproken met de vertegenwoordigers op"), null=True, blank=True)
    measures = models.TextField(_("maatregelen, met eigenaar en termijn"), blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["category", "-report_date"]

    def __str__(self) -> str:
        return f"assessment {self.category} {self.report_date}"

    @property
    def deadline(self) -> dt.date:
        from koers.paytransparency.clock import remedy_deadline

        return remedy_deadline(self.report_date)
