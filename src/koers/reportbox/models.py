"""The reporting box: one per organisation, its reports and the messages on each.

Nothing here says who reported: no account, no address, no user agent, no time of
day (dates only). The reporter holds a receipt code; the report stores only its
keyed hash (:func:`koers.lib.codes.keyed_hash`, domain ``report-code``).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from koers.organisations.models import OrganisationOwned
from koers.organisations.texts import localised, shown_language

TEXT_LIMIT = 5000  # characters per report or message: room for a careful account


class ReportBox(OrganisationOwned):
    public_token = models.CharField(max_length=64, unique=True)
    is_open = models.BooleanField(_("open voor meldingen"), default=True)
    intro = models.TextField(
        _("tekst boven het formulier"),
        blank=True,
        max_length=2000,
        help_text=_(
            "Bijvoorbeeld wie de vertrouwenspersoon is en hoe die ook direct bereikbaar is."
        ),
    )
    intro_en = models.TextField(
        _("tekst boven het formulier, in het Engels"),
        blank=True,
        max_length=2000,
        help_text=_("Wie de pagina in het Engels leest, ziet deze tekst; leeg: de Nederlandse."),
    )
    # The promised answer time: the reporter is told when to come back, since Koers cannot
    # reach them (docs/reporting-box.md).
    answer_days = models.PositiveSmallIntegerField(
        _("antwoordtermijn in werkdagen"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
        help_text=_(
            "Binnen hoeveel werkdagen de vertrouwenspersoon op een melding of bericht "
            "antwoordt (1 tot en met 30). De melder hoort zo wanneer het antwoord klaarstaat."
        ),
    )
    created = models.DateField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation"], name="one_report_box_per_organisation")
        ]
        verbose_name = _("meldpunt")
        verbose_name_plural = _("meldpunten")

    def __str__(self) -> str:
        return f"meldpunt {self.organisation_id}"

    @property
    def intro_text(self) -> str:
        """The introduction in the page's language (the other one when it has none)."""
        return localised(self.intro, self.intro_en)

    @property
    def intro_lang(self) -> str:
        return shown_language(self.intro, self.intro_en)


class AdviserProfile(OrganisationOwned):
    """How a confidential adviser is named on the public form: written by the adviser.

    The form shows this name and role, never the adviser's login (an employer e-mail
    address would tell a reporter little and an external adviser's address even less).
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("naam zoals melders hem zien"), max_length=120)
    role_nl = models.CharField(
        _("rol of functie"),
        max_length=160,
        blank=True,
        help_text=_("Bijvoorbeeld: externe vertrouwenspersoon, Arbodienst Noord."),
    )
    role_en = models.CharField(
        _("rol of functie, in het Engels"),
        max_length=160,
        blank=True,
        help_text=_("For example: external confidential adviser, Arbodienst Noord."),
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="one_adviser_profile")
        ]
        verbose_name = _("gegevens van de vertrouwenspersoon")
        verbose_name_plural = _("gegevens van vertrouwenspersonen")

    def __str__(self) -> str:
        return f"adviser profile {self.pk}"

    @property
    def role(self) -> str:
        return localised(self.role_nl, self.role_en)


class Report(OrganisationOwned):
    class Category(models.TextChoices):
        SEXUAL_HARASSMENT = "sexual_harassment", _("Seksuele intimidatie")
        DISCRIMINATION = "discrimination", _("Discriminatie")
        BULLYING = "bullying", _("Pesten of buitensluiten")
        AGGRESSION = "aggression", _("Agressie of geweld")
        OTHER = "other", _("Iets anders")

    class Status(models.TextChoices):
        NEW = "new", _("Nieuw")
        IN_PROGRESS = "in_progress", _("In behandeling")
        CLOSED = "closed", _("Afgesloten")

    code_hash = models.CharField(max_length=64, unique=True)
    # Counted per organisation: a global id would show how many reports others received.
    number = models.PositiveIntegerField()
    category = models.CharField(_("soort"), max_length=32, choices=Category.choices)
    text = models.TextField(_("wat er gebeurde"), max_length=TEXT_LIMIT)
    received_on = models.DateField()  # a date, never a time: the time of day could identify
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.NEW)
    closed_on = models.DateField(null=True, blank=True)  # starts the retention period
    adviser_notified = models.BooleanField(default=False)  # counted in a daily overview
    # Who may read it: the advisers the form named when it was written, and advisers a
    # reader handed it over to. Trust is to the people named, not to the role: someone
    # who becomes an adviser later does not read earlier reports (docs/reporting-box.md).
    readers: models.ManyToManyField[Any, Any] = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="ReportReader",
        through_fields=("report", "user"),
        related_name="+",
        blank=True,
    )

    class Meta:
        ordering = ["-received_on", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "number"], name="report_number_per_organisation"
            )
        ]
        verbose_name = _("melding")
        verbose_name_plural = _("meldingen")

    def __str__(self) -> str:
        return f"melding {self.pk}"

    @property
    def reference(self) -> str:
        """How the adviser refers to the report: M-0001, M-0002, … per organisation."""
        return f"M-{self.number:04d}"


class ReportReader(models.Model):
    """One adviser who may read one report, and how they came to."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="access")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # Empty: named on the form when the report was written. Set: the reader who handed it over.
    handed_over_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    since = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "user"], name="one_access_per_reader")
        ]

    def __str__(self) -> str:
        return f"lezer {self.user_id} van melding {self.report_id}"

    @classmethod
    def readable_by(cls, user: Any) -> models.QuerySet[Any]:
        """Ids of the reports ``user`` may read (combine with the adviser role check)."""
        return cls.objects.filter(user=user).values("report_id")


class ReportMessage(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="messages")
    from_adviser = models.BooleanField()
    text = models.TextField(max_length=TEXT_LIMIT)
    sent_on = models.DateField()
    adviser_notified = models.BooleanField(default=False)  # reporter's messages: counted daily

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"bericht {self.pk} bij melding {self.report_id}"
