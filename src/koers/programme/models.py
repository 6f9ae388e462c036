"""A sector programme: its office, the organisations it invites and what each one shares.

The programme office is not a member of any organisation: :class:`OfficeMember` is its own
membership, and an office user reaches only ``/programma/<slug>/``. An organisation's admin
accepts an invitation (:class:`Participation`) and chooses what it shares; the figures it
shares are copied, per year, into :class:`SharedYear`, :class:`SharedMeasure` and
:class:`SharedProfiles` (person thresholds already applied inside the organisation,
:mod:`koers.programme.extract`), so the dashboard aggregates them in the database.
Stopping deletes those copies at once.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from koers.organisations.models import OrganisationOwned


class Programme(models.Model):
    name = models.CharField(_("naam"), max_length=200)
    slug = models.SlugField(_("korte naam"), max_length=60, unique=True)
    description = models.TextField(_("beschrijving"), blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("sectorprogramma")
        verbose_name_plural = _("sectorprogramma's")

    def __str__(self) -> str:
        return self.name


class OfficeMember(models.Model):
    """A user of the programme office (not a member of any participating organisation)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="office")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="programme_offices"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["programme", "user"], name="programme_one_office_row")
        ]


class Sector(models.TextChoices):
    ICT = "ict", _("ICT en software")
    INDUSTRY = "industry", _("Industrie en maakbedrijf")
    ENGINEERING = "engineering", _("Ingenieursbureau")
    ENERGY = "energy", _("Energie en infrastructuur")
    OTHER = "other", _("Anders")


class Participation(OrganisationOwned):
    """An organisation invited to a programme, and what it shares."""

    class Status(models.TextChoices):
        INVITED = "invited", _("Uitgenodigd")
        ACTIVE = "active", _("Deelnemer")
        STOPPED = "stopped", _("Gestopt met delen")

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="participations"
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.INVITED)
    sector = models.CharField(_("subsector"), max_length=16, choices=Sector.choices, blank=True)
    share_scan = models.BooleanField(_("Kerncijfers van de Gender Scan"), default=False)
    share_targets = models.BooleanField(_("Streefcijfers en voortgang"), default=False)
    share_measures = models.BooleanField(_("Gekozen maatregelen"), default=False)
    share_compass = models.BooleanField(
        _("Profielverdeling van het Carrière Kompas"), default=False
    )
    invited = models.DateTimeField(auto_now_add=True)
    accepted = models.DateTimeField(null=True, blank=True)
    stopped = models.DateTimeField(null=True, blank=True)
    refreshed = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("deelname")
        verbose_name_plural = _("deelnames")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "organisation"], name="programme_one_participation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} in {self.programme} ({self.status})"

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


class SizeClass(models.TextChoices):
    SMALL = "small", _("tot 250 medewerkers")
    LARGE = "large", _("250 medewerkers of meer")


class SharedYear(OrganisationOwned):
    """One organisation's shared headline figures for one year (its latest snapshot in it).

    Counts are those the organisation's own dashboard shows outside HR (person thresholds
    applied); a count withheld there is NULL here and the organisation does not contribute
    to that figure. Pay is stored as sums of hourly pay (amounts) with their n, only when the
    organisation's pay gap passes the person thresholds.
    """

    participation = models.ForeignKey(Participation, on_delete=models.CASCADE, related_name="years")
    year = models.PositiveIntegerField()
    reference_date = models.DateField()
    size_class = models.CharField(max_length=8, choices=SizeClass.choices, blank=True)
    headcount = models.PositiveIntegerField(null=True)
    women = models.PositiveIntegerField(null=True)
    hires = models.PositiveIntegerField(null=True)
    hires_women = models.PositiveIntegerField(null=True)
    leavers = models.PositiveIntegerField(null=True)
    leavers_women = models.PositiveIntegerField(null=True)
    pay_n_women = models.PositiveIntegerField(null=True)
    pay_n_men = models.PositiveIntegerField(null=True)
    pay_sum_women = models.FloatField(null=True)  # sum of hourly pay, euro
    pay_sum_men = models.FloatField(null=True)
    targets_n = models.PositiveIntegerField(null=True)
    targets_met = models.PositiveIntegerField(null=True)
    actions_n = models.PositiveIntegerField(null=True)
    # The women's share in this organisation's first shared year with one (set when the
    # years are written, :func:`set_first_shares`), so "change since the start" is a column
    # expression and the dashboard needs no correlated subquery per organisation.
    first_share = models.FloatField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["participation", "year"], name="programme_one_year")
        ]
        indexes = [models.Index(fields=["year", "reference_date"], name="programme_year_ref")]


def set_first_shares(rows: list[SharedYear]) -> list[SharedYear]:
    """Set ``first_share`` on one organisation's years (before they are saved)."""
    first = next(
        (
            r.women / r.headcount
            for r in sorted(rows, key=lambda r: r.year)
            if r.headcount and r.women is not None
        ),
        None,
    )
    for r in rows:
        r.first_share = first
    return rows


class SharedMeasure(OrganisationOwned):
    """A measure of the organisation's action plan (by its Dutch title), when shared."""

    participation = models.ForeignKey(
        Participation, on_delete=models.CASCADE, related_name="measures"
    )
    measure = models.CharField(max_length=200)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["participation", "measure"], name="programme_one_measure"
            )
        ]


# The six reference profiles of the Career Compass (``compass/data/profiles.yaml``): key ->
# column of :class:`SharedProfiles`.
PROFILE_FIELDS = {
    "nerd": "nerd",
    "einzelganger": "einzelganger",
    "traditionalist": "traditionalist",
    "innovator": "innovator",
    "allrounder": "allrounder",
    "status_seeker": "status_seeker",
}


class SharedProfiles(OrganisationOwned):
    """One organisation's shared Compass profile mix for one campaign year.

    The counts are those of the campaign's whole-campaign team scan figures in a release (the
    person threshold k and the complementary suppression inside the organisation applied,
    :mod:`koers.programme.profiles`); a count the release withholds, or a profile the
    campaign's model does not separate, is NULL and the organisation does not contribute to
    that profile's figure. ``respondents`` is the release's number of respondents (the base).
    """

    participation = models.ForeignKey(
        Participation, on_delete=models.CASCADE, related_name="profiles"
    )
    year = models.PositiveIntegerField()
    reference_date = models.DateField()  # the date of the release the counts come from
    size_class = models.CharField(max_length=8, choices=SizeClass.choices, blank=True)
    respondents = models.PositiveIntegerField()
    nerd = models.PositiveIntegerField(null=True)
    einzelganger = models.PositiveIntegerField(null=True)
    traditionalist = models.PositiveIntegerField(null=True)
    innovator = models.PositiveIntegerField(null=True)
    allrounder = models.PositiveIntegerField(null=True)
    status_seeker = models.PositiveIntegerField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["participation", "year"], name="programme_one_profile_year"
            )
        ]


class QueryLog(models.Model):
    """Every figure the programme office asked for: who, when, which figure and filters.

    Visible to every participating organisation (``/o/<org>/programma/``).
    """

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="queries")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True, db_index=True)
    figure = models.CharField(max_length=64)
    filters = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created", "-pk"]


class Invitation(models.Model):
    """An invitation of the programme office: a one-time code for an organisation it names.

    The office names the organisation in its own words (``name``): Koers never lets the
    office pick from, or look up, the organisations it holds. Only the code's keyed hash is
    stored; the code is shown once. An organisation's admin enters the code on its own
    programme page, which creates the :class:`Participation` (status invited) and links
    ``organisation`` here, so the office sees who accepted its invitation and nothing else.
    """

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="invitations")
    name = models.CharField(_("naam van de organisatie"), max_length=200)
    code_hash = models.CharField(max_length=64, unique=True)
    created = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    expires = models.DateTimeField()
    emailed = models.DateTimeField(null=True, blank=True)  # the address itself is not kept
    withdrawn = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    used = models.DateTimeField(null=True, blank=True)
    organisation = models.ForeignKey(
        "organisations.Organisation", null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("uitnodiging voor een sectorprogramma")
        verbose_name_plural = _("uitnodigingen voor een sectorprogramma")

    def __str__(self) -> str:
        return f"{self.name} ({self.programme})"

    def state(self, now: dt.datetime | None = None) -> str:
        """``open``, ``accepted``, ``withdrawn`` or ``expired``."""
        if self.used is not None:
            return "accepted"
        if self.withdrawn is not None:
            return "withdrawn"
        if self.expires <= (now or timezone.now()):
            return "expired"
        return "open"


class PublishedFigure(models.Model):
    """A figure as the programme office (or a member, on its benchmark) was shown it.

    The release register against differencing over time (``orgrelease.check_release``):
    ``key`` names the figure (year, figure, filters; or the measure; or the benchmark of one
    participation), ``value`` what was shown, ``contributions`` each contributing
    participation's numbers as they were then (columns: participation ids, bases, amounts,
    details, sides; ``release.encode``), so a later value is published only if its
    difference with every earlier one is itself a publishable group. ``fingerprint``
    summarises the contributions in a way the database aggregate can reproduce, so an
    unchanged figure is recognised without loading any member's row. Never shown to anyone
    as such; deleted with the programme.
    """

    class Status(models.TextChoices):
        # The value was published at this view (its contributions are history).
        PUBLISHED = "published", "published"
        # Memos of a decision for a fingerprint, so an unchanged figure needs no rows: the
        # latest publication shown again, or nothing shown (``refusals`` says why).
        FROZEN = "frozen", "frozen"
        WITHHELD = "withheld", "withheld"

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="published")
    key = models.CharField(max_length=255)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PUBLISHED)
    refusals = models.JSONField(default=list, blank=True)
    published = models.DateTimeField(default=timezone.now)
    value = models.JSONField()
    n = models.PositiveIntegerField()
    fingerprint = models.CharField(max_length=255)
    contributions = models.JSONField()

    class Meta:
        indexes = [
            models.Index(fields=["programme", "key", "published"], name="programme_published_key")
        ]
