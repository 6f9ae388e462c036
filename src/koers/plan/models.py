"""The action plan: actions (a catalogue measure or an own title), their comments and
history, and the works council's advice on the plan (WOR art. 28(3))."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from koers.organisations.models import OrganisationOwned
from koers.plan.catalogue import load_catalogue


class Action(OrganisationOwned):
    """One action of the plan."""

    class Status(models.TextChoices):
        # The values are koers.lib.hooks.PlanLine's contract; "stopped" is shown as
        # "Gestopt" / "Dropped".
        PLANNED = "planned", _("Gepland")
        IN_PROGRESS = "in_progress", _("In uitvoering")
        DONE = "done", _("Klaar")
        STOPPED = "stopped", _("Gestopt")

    # A measure id of koers/plan/data/measures.yaml, or "" for an action of one's own.
    measure = models.CharField(_("maatregel"), max_length=60, blank=True)
    title = models.CharField(_("eigen titel"), max_length=200, blank=True)
    owner = models.CharField(_("eigenaar"), max_length=120, blank=True)
    start = models.DateField(_("start"), null=True, blank=True)
    due = models.DateField(_("klaar op"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PLANNED
    )
    budget = models.DecimalField(
        _("budget (euro)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    indicator = models.CharField(_("indicator die moet bewegen"), max_length=200, blank=True)
    notes = models.TextField(_("toelichting"), blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due", "pk"]

    def __str__(self) -> str:
        return self.display_title("nl")

    def display_title(self, lang: str = "nl") -> str:
        """The own title, else the catalogue measure's title in ``lang``."""
        if self.title:
            return self.title
        measure = load_catalogue().get(self.measure)
        return measure.text("title", lang) if measure else self.measure

    def is_late(self, today: dt.date) -> bool:
        """The due date has passed and the action is neither done nor stopped."""
        return (
            self.due is not None
            and self.due < today
            and self.status not in (self.Status.DONE, self.Status.STOPPED)
        )


class ActionComment(OrganisationOwned):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("reactie"), max_length=4000)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created", "pk"]


class ActionChange(OrganisationOwned):
    """Who changed what of an action, and when: one row per save, the fields in ``changes``
    as ``[field, old, new]`` (values as shown then)."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="changes")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)
    changes = models.JSONField(default=list)

    class Meta:
        ordering = ["created", "pk"]


class WorksCouncilAdvice(OrganisationOwned):
    """The works council's advice on the plan, as it recorded it."""

    text = models.TextField(_("advies"), max_length=10000)
    given_on = models.DateField(_("datum van het advies"))
    given_by = models.CharField(_("namens"), max_length=200)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-given_on", "-pk"]
