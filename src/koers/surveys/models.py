"""Campaigns, invitations, responses and answers.

Privacy by construction (DESIGN.md, issue 3): :class:`Response` has no foreign
key to :class:`Invitation` and stores no IP address, user agent, e-mail or
time of day; the only bridge is the secret in the respondent's link (see
:mod:`koers.surveys.links`). Answers carry a version for the autosave rule: a
save names the version it was based on and is refused when that is stale.
"""

from __future__ import annotations

import secrets
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from koers.organisations.models import OrganisationOwned
from koers.organisations.texts import localised, shown_language


def _public_token() -> str:
    return secrets.token_urlsafe(18)


class Campaign(OrganisationOwned):
    class Mode(models.TextChoices):
        OPEN_LINK = "open", _("Anonieme open link")
        INVITATIONS = "invite", _("Persoonlijke uitnodigingen per e-mail")

    name = models.CharField(_("naam"), max_length=200)
    # Texts the organisation writes for respondents, in Dutch and English; a page shows the
    # one in its language, or the other when that one is empty (koers.organisations.texts).
    name_en = models.CharField(
        _("naam in het Engels"),
        max_length=200,
        blank=True,
        help_text=_("Voor wie de vragenlijst in het Engels invult; leeg: de Nederlandse naam."),
    )
    intro = models.TextField(
        _("welkomsttekst voor respondenten"),
        max_length=2000,
        blank=True,
        help_text=_("Bijvoorbeeld waarom je organisatie meedoet en tot wanneer."),
    )
    intro_en = models.TextField(_("welkomsttekst in het Engels"), max_length=2000, blank=True)
    instrument_key = models.CharField(_("vragenlijst"), max_length=64)
    instrument_version = models.PositiveIntegerField(_("versie"))
    mode = models.CharField(_("soort"), max_length=8, choices=Mode.choices, default=Mode.OPEN_LINK)
    public_token = models.CharField(max_length=32, unique=True, default=_public_token)
    opens_on = models.DateField(_("open vanaf"), default=timezone.localdate)
    closes_on = models.DateField(_("sluit na"), null=True, blank=True)
    closed = models.BooleanField(_("gesloten"), default=False)
    closed_on = models.DateField(null=True, blank=True)  # starts the answers' retention period
    # The campaign's own department question: the only source of team breakdowns.
    departments = models.JSONField(_("afdelingen"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("campagne")
        verbose_name_plural = _("campagnes")

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        """The name in the page's language (the other one when it has none)."""
        return localised(self.name, self.name_en)

    @property
    def intro_text(self) -> str:
        return localised(self.intro, self.intro_en)

    @property
    def intro_lang(self) -> str:
        return shown_language(self.intro, self.intro_en)

    def is_open(self, today: Any = None) -> bool:
        today = today or timezone.localdate()
        if self.closed or today < self.opens_on:
            return False
        return self.closes_on is None or today <= self.closes_on

    def instrument(self) -> Any:
        """The campaign's instrument version, with its department question (cached)."""
        return _instrument(self.instrument_key, self.instrument_version, tuple(self.departments))


@lru_cache(maxsize=256)
def _instrument(key: str, version: int, departments: tuple[str, ...]) -> Any:
    # Instruments are immutable; building the department variant per request cost a copy
    # of every section (bench/load_respondents.py profile).
    from koers.instruments import get_instrument, with_department_question

    instrument = get_instrument(key, version)
    if departments:
        instrument = with_department_question(instrument, [(d, d) for d in departments])
    return instrument


_CONTROLLING: dict[tuple[str, int, str], frozenset[str]] = {}


def controlling_items(instrument: Any) -> frozenset[str]:
    """Items whose answer shows or hides other items or sections (``show_if`` references)."""
    cache_key = (instrument.key, instrument.version, instrument.content_hash)
    if cache_key in _CONTROLLING:
        return _CONTROLLING[cache_key]
    found: set[str] = set()
    for section in instrument.sections:
        if section.show_if is not None:
            found |= section.show_if.referenced_items()
        for item in section.items:
            if item.show_if is not None:
                found |= item.show_if.referenced_items()
    _CONTROLLING[cache_key] = frozenset(found)
    return _CONTROLLING[cache_key]


class Invitation(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mailadres"))
    secret_hash = models.CharField(max_length=64, unique=True)
    # Encrypted link secret, kept only while reminders may be sent (wiped on finish/close).
    secret_encrypted = models.TextField(blank=True)
    completed = models.BooleanField(default=False)
    sent_count = models.PositiveSmallIntegerField(default=0)
    last_sent = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "email"], name="one_invitation_per_email")
        ]

    def __str__(self) -> str:
        return f"{self.email} ({self.campaign})"


class Response(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="responses")
    access_hash = models.CharField(max_length=64, unique=True)
    code_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    instrument_version = models.PositiveIntegerField()
    language = models.CharField(max_length=8, default="nl")
    # Dates only: a time of day could be matched against when an invitation was sent.
    started_on = models.DateField(default=timezone.localdate)
    finished_on = models.DateField(null=True, blank=True)
    # The respondent's own choice, asked on the last page of a Career Compass (default no)
    # and changeable beside their report: may their answers, pseudonymised, join the pooled
    # data of approved research projects their organisation takes part in (koers.research)?
    research_consent = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["campaign", "finished_on"])]

    def __str__(self) -> str:
        return f"response {self.pk} ({self.campaign})"

    @property
    def is_finished(self) -> bool:
        return self.finished_on is not None

    def answers(self) -> dict[str, Any]:
        return {a.item_id: a.value for a in self.answer_set.all() if a.value is not None}

    def versions(self) -> dict[str, int]:
        return dict(self.answer_set.values_list("item_id", "version"))


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE)
    item_id = models.CharField(max_length=64)
    value = models.JSONField(null=True)  # None: the answer was cleared
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "item_id"], name="one_answer_per_item")
        ]

    def __str__(self) -> str:
        return f"{self.item_id}={self.value!r} (v{self.version})"
