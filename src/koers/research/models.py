"""Research projects, their researchers, the organisations taking part, and the access log.

A researcher is a plain user account with a :class:`ProjectMember` row: no organisation
membership, so no ``/o/<org>/`` page ever opens for them (the access decorator resolves the
organisation from a membership). An organisation joins a project on its own research page
(admin role) and can withdraw: a withdrawn :class:`Participation` keeps its dates for the
record, and the organisation's data leave every later view and export
(:mod:`koers.research.dataset`). Respondents consent one by one
(``surveys.Response.research_consent``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from koers.organisations.models import OrganisationOwned
from koers.organisations.texts import localised


class ResearchProject(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("Wacht op goedkeuring")
        APPROVED = "approved", _("Goedgekeurd")
        REFUSED = "refused", _("Afgewezen")
        CLOSED = "closed", _("Afgesloten")

    slug = models.SlugField(_("korte naam"), max_length=60, unique=True)
    title = models.CharField(_("titel"), max_length=200)
    title_en = models.CharField(_("titel in het Engels"), max_length=200, blank=True)
    description = models.TextField(_("beschrijving"), max_length=4000, blank=True)
    description_en = models.TextField(_("beschrijving in het Engels"), max_length=4000, blank=True)
    # What a researcher proposes on /onderzoek/nieuw/ (Koers staff decide on it).
    research_question = models.TextField(_("onderzoeksvraag"), max_length=2000, blank=True)
    institution = models.CharField(_("instelling"), max_length=200, blank=True)
    planned_end = models.DateField(_("geplande einddatum"), null=True, blank=True)
    data_needed = models.TextField(_("benodigde gegevens"), max_length=1000, blank=True)
    ethics_reference = models.CharField(
        _("kenmerk ethische goedkeuring"), max_length=200, blank=True
    )
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("projectleider"),
    )
    state = models.CharField(_("status"), max_length=12, choices=State.choices, default="pending")
    # Who at Koers (Django staff) approved or refused the project, and when.
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_on = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("toelichting bij het besluit"), max_length=2000, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("onderzoeksproject")
        verbose_name_plural = _("onderzoeksprojecten")

    def __str__(self) -> str:
        return self.title

    @property
    def display_title(self) -> str:
        return localised(self.title, self.title_en)

    @property
    def display_description(self) -> str:
        return localised(self.description, self.description_en)

    @property
    def is_approved(self) -> bool:
        return self.state == self.State.APPROVED


class ProjectMember(models.Model):
    """A researcher of a project (its own membership: never an organisation's). A lead
    adds and removes the project's members on the project page."""

    class Role(models.TextChoices):
        LEAD = "lead", _("projectleider")
        RESEARCHER = "researcher", _("onderzoeker")

    project = models.ForeignKey(ResearchProject, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="research_projects"
    )
    role = models.CharField(_("rol"), max_length=12, choices=Role.choices, default=Role.RESEARCHER)
    added = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "user"], name="one_project_membership")
        ]

    @property
    def is_lead(self) -> bool:
        return self.role == self.Role.LEAD


class Participation(OrganisationOwned):
    """An organisation takes part in a project (opt-in); ``withdrawn`` ends it."""

    project = models.ForeignKey(
        ResearchProject, on_delete=models.CASCADE, related_name="participations"
    )
    joined = models.DateTimeField()
    joined_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawn = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["project", "organisation"], name="one_participation_per_org"
            )
        ]

    @property
    def active(self) -> bool:
        return self.withdrawn is None


class AccessLog(models.Model):
    """Every page view and download of a project's data (the organisations taking part
    see the same events in their own audit log), and every change of its members
    (``research.member.add`` / ``research.member.remove``, ``target`` the e-mail address)."""

    project = models.ForeignKey(ResearchProject, on_delete=models.CASCADE, related_name="log")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=64)
    target = models.CharField(max_length=200, blank=True)
    n_organisations = models.PositiveIntegerField(default=0)
    n_rows = models.PositiveIntegerField(default=0)
    created = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created"]
