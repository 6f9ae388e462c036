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
    # "hr": entered by HR; "worker": filed by the worker through the desk link, who holds a
    # receipt code; only its keyed hash is kept (domain "pay-request-code"), nothing about
    # the visitor (no address, no time of day).
    source = models.CharField(max_length=8, default="hr")
    code_hash = models.CharField(max_length=64, blank=True, db_index=True)
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


# koers.stats.paygap's controls, in the order the page lists them.
JUSTIFICATION_FACTORS = ("job_level", "age", "tenure", "hours", "education")


def default_factors() -> list[str]:
    return ["age", "tenure", "hours", "education"]  # koers.stats.paygap.CATEGORY_CONTROLS


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
    # The objective, gender-neutral factors HR names as justification (Art. 10(1)):
    # names of JUSTIFICATION_FACTORS; the adjusted gap, the decomposition and the model
    # rule of the remediation cost use them.
    factors: Any = models.JSONField(default=default_factors)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["category", "-report_date"]

    def __str__(self) -> str:
        return f"assessment {self.category} {self.report_date}"

    @property
    def deadline(self) -> dt.date:
        from koers.paytransparency.clock import remedy_deadline

        return remedy_deadline(self.report_date)


class DeskSettings(OrganisationOwned):
    """One per organisation: the employer charges for the remediation cost, the link workers
    file requests through, and when the yearly notice (Art. 7(3)) was last given."""

    employer_charges_pct = models.DecimalField(
        _("werkgeverslasten (% van het brutoloon)"),
        max_digits=5,
        decimal_places=1,
        default=30,
        help_text=_(
            "Premies, pensioen en vakantiegeld die de werkgever bovenop het brutoloon betaalt; "
            "tel ze op uit de eigen loonadministratie."
        ),
    )
    public_token = models.CharField(max_length=64, blank=True)
    link_open = models.BooleanField(default=False)
    notice_given_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"], name="paytransparency_one_desk_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"pay desk {self.organisation_id}"


class PayRange(OrganisationOwned):
    """Art. 5(1): the initial pay, or its range, of a vacancy, per category of workers."""

    class Period(models.TextChoices):
        MONTH = "month", _("per maand")
        YEAR = "year", _("per jaar")

    category = models.CharField(_("categorie"), max_length=200)
    vacancy = models.CharField(_("vacature of functietitel"), max_length=200)
    minimum = models.DecimalField(_("van (bruto, euro)"), max_digits=10, decimal_places=2)
    maximum = models.DecimalField(_("tot (bruto, euro)"), max_digits=10, decimal_places=2)
    period = models.CharField(_("per"), max_length=5, choices=Period.choices, default=Period.MONTH)
    hours_per_week = models.DecimalField(
        _("bij uren per week"), max_digits=4, decimal_places=1, default=40
    )
    recorded_on = models.DateField(auto_now_add=True)

    class Meta:
        ordering = ["category", "vacancy"]

    def __str__(self) -> str:
        return f"{self.vacancy} ({self.category})"


class PersonalLink(OrganisationOwned):
    """A worker's personal link to the request desk (Art. 7): opening it files a request
    for this worker without typing an employee number. Only the keyed hash of the link's
    secret is kept (domain ``"pay-personal-link"``) with the worker's pseudonym; the links
    themselves went once into HR's download. Generating again replaces every link."""

    worker = models.CharField(max_length=64)
    secret_hash = models.CharField(max_length=64, unique=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"personal link {self.pk}"
