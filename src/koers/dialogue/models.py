"""Dialogue sessions: a facilitator's session, its cards, and anonymous answers.

Nothing about a participant is stored: no account, no address, no user agent, no id next
to an answer. The group size is a counter (``Session.n_joined``) and which cards one
browser answered is kept in that browser's own session cookie data, not here.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from koers.organisations.models import OrganisationOwned


class Audience(models.TextChoices):
    EMPLOYEES = "employees", _("Medewerkers")
    MANAGERS = "managers", _("Leidinggevenden")
    MIXED = "mixed", _("Medewerkers en leidinggevenden samen")


class Format(models.TextChoices):
    ROUND_TABLE = "round_table", _("Ronde tafel (kaart voor kaart)")
    ONE_TWO_FOUR_ALL = (
        "one_two_four",
        _("1-2-4-allen (per kaart: alleen, tweetallen, viertallen, allen; met timers)"),
    )


class SessionState(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Afgesloten")


class Session(OrganisationOwned):
    title = models.CharField(_("titel"), max_length=120)
    team = models.CharField(_("team"), max_length=120)
    audience = models.CharField(
        _("voor wie"), max_length=12, choices=Audience.choices, default=Audience.EMPLOYEES
    )
    format = models.CharField(
        _("werkvorm"), max_length=16, choices=Format.choices, default=Format.ROUND_TABLE
    )
    state = models.CharField(max_length=8, choices=SessionState.choices, default=SessionState.OPEN)
    # The join code: its keyed hash to find the session, encrypted so the facilitator's
    # screen can show it (koers.lib.codes).
    code_hash = models.CharField(max_length=64, unique=True)
    code_encrypted = models.TextField()
    position = models.IntegerField(default=-1)  # the card on the table; -1 before the first
    n_joined = models.PositiveIntegerField(default=0)  # browsers that joined, nothing else
    # 1-2-4-all: the step of the card on the table ("" in a round table) and when it ends.
    step = models.CharField(max_length=8, blank=True)
    step_ends = models.DateTimeField(null=True, blank=True)
    themes = models.TextField(_("besproken thema's"), blank=True)
    actions = models.TextField(_("afgesproken acties"), blank=True)
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)
    closed = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.state == SessionState.OPEN

    def action_lines(self) -> list[str]:
        return [line.strip() for line in self.actions.splitlines() if line.strip()]


class CardState(models.TextChoices):
    WAITING = "waiting", _("Nog niet getoond")
    SHOWN = "shown", _("Getoond")
    SKIPPED = "skipped", _("Overgeslagen")
    HIDDEN = "hidden", _("Verborgen")


class SessionCard(OrganisationOwned):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="cards")
    index = models.PositiveIntegerField()
    card_key = models.CharField(max_length=60)
    state = models.CharField(max_length=8, choices=CardState.choices, default=CardState.WAITING)
    reason = models.CharField(_("reden"), max_length=300, blank=True)
    texts_released = models.BooleanField(default=False)

    class Meta:
        ordering = ["index"]
        constraints = [
            models.UniqueConstraint(fields=["session", "index"], name="dialogue_one_card_per_slot")
        ]


class Answer(OrganisationOwned):
    """One anonymous answer: the card and what was answered. No participant, no time."""

    card = models.ForeignKey(SessionCard, on_delete=models.CASCADE, related_name="answers")
    option = models.CharField(max_length=40, blank=True)  # a scale point or choice key
    text = models.TextField(blank=True)


# --- the fair-flexibility register (docs/dialogue.md) --------------------------------------


class FlexKind(models.TextChoices):
    HOURS = "hours", _("Uren (meer, minder of anders verdeeld)")
    PLACE = "place", _("Plaats (thuis of elders werken)")
    SCHEDULE = "schedule", _("Rooster en werktijden")


class FlexOutcome(models.TextChoices):
    GRANTED = "granted", _("Toegekend")
    REFUSED = "refused", _("Afgewezen")


class FlexReason(models.TextChoices):
    """Why, in categories the aggregate page can count (never the note)."""

    FITS_WORK = "fits_work", _("Past bij het werk")
    CARE = "care", _("Zorg voor kinderen of naasten")
    HEALTH = "health", _("Gezondheid")
    STUDY = "study", _("Studie of ontwikkeling")
    PARTLY = "partly", _("Deels toegekend, met een alternatief")
    OPERATIONS = "operations", _("Bezetting of dienstverlening komt in de knel")
    NATURE_OF_WORK = "nature_of_work", _("Het werk kan niet op die tijd of plek")
    COLLEAGUES = "colleagues", _("Te veel last voor collega's")
    COST = "cost", _("Kosten")
    OTHER = "other", _("Anders")


class FlexGender(models.TextChoices):
    FEMALE = "female", _("Vrouw")
    MALE = "male", _("Man")
    OTHER = "other", _("Anders of niet vastgelegd")


class FlexRequest(OrganisationOwned):
    """One decided request for flexibility: no name, no employee number, no free-form
    identity. ``note`` is for the recorder's own memory and is shown to nobody else."""

    team = models.CharField(_("team"), max_length=120)
    kind = models.CharField(_("soort flexibiliteit"), max_length=10, choices=FlexKind.choices)
    outcome = models.CharField(_("besluit"), max_length=8, choices=FlexOutcome.choices)
    reason = models.CharField(_("reden"), max_length=16, choices=FlexReason.choices)
    note = models.CharField(_("toelichting (optioneel)"), max_length=300, blank=True)
    gender = models.CharField(
        _("gender van wie het vroeg"),
        max_length=8,
        choices=FlexGender.choices,
        default=FlexGender.OTHER,
    )
    decided_on = models.DateField(_("datum van het besluit"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decided_on", "-created"]

    @property
    def granted(self) -> bool:
        return self.outcome == FlexOutcome.GRANTED


class FlexRelease(OrganisationOwned):
    """The register's figures of one *closed* calendar year, published once: the rows they
    are computed from (kind, team, gender, granted, the request's id, the refusal reason)
    and the entries the plan hides on top of the table rule (``[table, key, column]``,
    :func:`koers.stats.flexibility.plan_version`). Made on the first request for the year's
    figures on or after 1 January of the next year and never replaced: rows of that year
    added or removed later change nothing (docs/dialogue.md). ``hidden`` None: a version
    published before the closed-year rule (0005), planned when next asked for."""

    year = models.PositiveIntegerField()
    rows = models.JSONField(default=list)
    hidden = models.JSONField(null=True, blank=True)
    created = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year"], name="dialogue_one_flex_release_per_year"
            )
        ]
