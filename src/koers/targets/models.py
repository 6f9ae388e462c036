"""Targets (streefcijfers) per population and the organisation's own sub-top definitions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from koers.organisations.models import OrganisationOwned


class SubTopDefinition(OrganisationOwned):
    """One version of a sub-top category ("categories of employees in leading positions",
    Besluit inhoud bestuursverslag art. 3d), defined by job levels and/or job families.

    A changed definition is saved as a new version (never edited in place), so a trend over
    the years can show where the definition changed. ``valid_from`` is the first reference
    date the version counts (see :meth:`applies_from`); every year is counted with the
    version valid on its reference date (:func:`koers.targets.versions.version_on`).
    """

    name = models.CharField(_("naam"), max_length=120)
    version = models.PositiveIntegerField(default=1)
    job_levels = models.JSONField(default=list, blank=True)  # e.g. ["11", "12"]
    job_families = models.JSONField(default=list, blank=True)  # e.g. ["Teamleider"]
    valid_from = models.DateField(_("geldig vanaf"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name", "version"], name="targets_one_subtop_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} (v{self.version})"

    def applies_from(self) -> dt.date | None:
        """The first reference date this version counts: ``valid_from`` if given; else a
        first version counts for every year (None) and a later one from the day it was
        saved."""
        if self.valid_from is not None:
            return self.valid_from
        if self.version == 1 or self.created is None:
            return None
        return timezone.localdate(self.created)

    def same_definition(self, job_levels: list[str], job_families: list[str]) -> bool:
        return sorted(self.job_levels) == sorted(job_levels) and sorted(
            self.job_families
        ) == sorted(job_families)


class Target(OrganisationOwned):
    """A target share of women in one population by a target year."""

    # The order of the SER report: board, supervisory board, sub-top, then the rest.
    ORDER = ("board", "supervisory_board", "subtop", "job_level", "inflow", "promotion")

    class Population(models.TextChoices):
        BOARD = "board", _("raad van bestuur")
        SUPERVISORY_BOARD = "supervisory_board", _("raad van commissarissen")
        SUBTOP = "subtop", _("subtop")
        JOB_LEVEL = "job_level", _("functieniveau")
        INFLOW = "inflow", _("instroom (aannames)")
        PROMOTION = "promotion", _("doorstroom (promoties)")

    class Split(models.TextChoices):
        ALL = "all", _("alle functies")
        STAFF = "staff", _("staffuncties")
        CORE = "core", _("kernfuncties (technisch)")

    population = models.CharField(_("groep"), max_length=20, choices=Population.choices)
    split = models.CharField(_("functies"), max_length=8, choices=Split.choices, default=Split.ALL)
    job_level = models.CharField(_("functieniveau"), max_length=60, blank=True)
    subtop_name = models.CharField(_("subtopcategorie"), max_length=120, blank=True)
    target_share = models.DecimalField(
        _("streefcijfer (% vrouwen)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal(100))],
    )
    target_year = models.PositiveIntegerField(_("streefjaar"))
    # Boards: one entry per seat, {"holder": "F"|"M"|"X"|null, "term_ends": "YYYY-MM-DD"|null}.
    seats = models.JSONField(default=list, blank=True)
    note = models.TextField(_("toelichting"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["population", "split", "subtop_name", "job_level", "target_year"]

    def __str__(self) -> str:
        return f"{self.label()}: {self.target_share} % in {self.target_year}"

    @property
    def is_board(self) -> bool:
        return self.population in (self.Population.BOARD, self.Population.SUPERVISORY_BOARD)

    @property
    def is_flow(self) -> bool:
        return self.population in (self.Population.INFLOW, self.Population.PROMOTION)

    @property
    def share(self) -> float:
        return float(self.target_share) / 100

    def sort_key(self) -> tuple[int, str, str, str, int]:
        return (
            self.ORDER.index(self.population),
            self.subtop_name,
            self.job_level,
            self.split,
            self.target_year,
        )

    def label(self) -> str:
        parts: list[Any] = [self.get_population_display()]
        if self.population == self.Population.SUBTOP and self.subtop_name:
            parts = [self.subtop_name]
        elif self.population == self.Population.JOB_LEVEL and self.job_level:
            parts.append(self.job_level)
        label = " ".join(str(p) for p in parts)
        if self.split != self.Split.ALL:
            label = f"{label}, {self.get_split_display()}"
        return label


class ReportSettings(OrganisationOwned):
    """What the annual diversity report (SER) needs to know beyond the targets: the end of the
    financial year and whether non-binary people count with the under-represented sex."""

    fy_end_month = models.PositiveSmallIntegerField(
        _("laatste maand van het boekjaar"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    fy_end_day = models.PositiveSmallIntegerField(
        _("laatste dag van het boekjaar"),
        default=31,
        validators=[MinValueValidator(1), MaxValueValidator(31)],
    )
    count_other_with_underrepresented = models.BooleanField(
        _("non-binaire personen meetellen bij het ondervertegenwoordigde geslacht"),
        default=False,
    )
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation"], name="targets_one_report_settings")
        ]


class TargetExplanation(OrganisationOwned):
    """Why a target was not met in a financial year (the SER report asks it)."""

    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="explanations")
    year = models.PositiveIntegerField(_("boekjaar"))
    text = models.TextField(_("waarom niet gehaald"), max_length=4000, blank=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["target", "year"], name="targets_one_explanation")
        ]
