"""Organisations are the tenants of Koers; people belong to them through memberships.

Every model that holds organisation data subclasses :class:`OrganisationOwned`,
whose manager only hands out rows through ``for_org(org)``. Views get the
organisation from :func:`koers.organisations.access.org_view`, which also
checks the member's permission, so the scoped query is the easy path.
"""

from __future__ import annotations

import secrets
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Organisatiebeheerder")
    HR_ANALYST = "hr_analyst", _("HR-analist")
    MANAGER = "manager", _("Leidinggevende")
    WORKS_COUNCIL = "works_council", _("Ondernemingsraad")
    CONFIDENTIAL_ADVISER = "confidential_adviser", _("Vertrouwenspersoon")
    RESEARCHER = "researcher", _("Onderzoeker")


class Organisation(models.Model):
    name = models.CharField(_("naam"), max_length=200)
    slug = models.SlugField(_("korte naam"), max_length=60, unique=True)
    created = models.DateTimeField(auto_now_add=True)
    # Keyed hash secret for pseudonymising employee ids on HR import.
    pseudonym_key = models.CharField(max_length=64, default=secrets.token_hex, editable=False)

    class Meta:
        verbose_name = _("organisatie")
        verbose_name_plural = _("organisaties")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def membership_for(self, user: Any) -> Membership | None:
        if not getattr(user, "is_authenticated", False):
            return None
        return self.memberships.filter(user=user).first()


class Membership(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("rol"), max_length=32, choices=Role.choices)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("lidmaatschap")
        verbose_name_plural = _("lidmaatschappen")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="one_membership_per_org")
        ]
        ordering = ["organisation__name", "user__email"]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation} ({self.get_role_display()})"


class TenantQuerySet(models.QuerySet[Any]):
    def for_org(self, organisation: Organisation) -> TenantQuerySet:
        return self.filter(organisation=organisation)


class TenantManager(models.Manager[Any]):
    def get_queryset(self) -> TenantQuerySet:
        return TenantQuerySet(self.model, using=self._db)

    def for_org(self, organisation: Organisation) -> TenantQuerySet:
        return self.get_queryset().for_org(organisation)


class OrganisationOwned(models.Model):
    """Base for every model holding one organisation's data."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")

    objects: ClassVar[TenantManager] = TenantManager()

    class Meta:
        abstract = True


class AuditEvent(OrganisationOwned):
    """Who viewed or exported which organisation data (never the data itself)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    action = models.CharField(max_length=64)  # e.g. "scan.view", "campaign.export"
    target = models.CharField(max_length=200, blank=True)
    # What was asked for, never what was shown: e.g. {"filters": [["department", "R&D"]]}.
    detail = models.JSONField(default=dict, blank=True)
    created = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.created:%Y-%m-%d %H:%M} {self.user} {self.action} {self.target}"


class MemberInvitation(OrganisationOwned):
    """An invitation to join an organisation with a role, by an e-mailed link.

    The link's secret is never stored: only its keyed hash (domain ``member-invite``,
    :func:`koers.surveys.links.keyed_hash`). A link works once, until ``expires``; resending
    replaces the secret (the old link stops working), revoking ends it.
    """

    email = models.EmailField(_("e-mailadres"))
    role = models.CharField(_("rol"), max_length=32, choices=Role.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)
    sent = models.DateTimeField()
    expires = models.DateTimeField()
    accepted = models.DateTimeField(null=True, blank=True)
    revoked = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("uitnodiging voor een lid")
        verbose_name_plural = _("uitnodigingen voor leden")

    def __str__(self) -> str:
        return f"invitation {self.pk} ({self.get_role_display()})"

    def state(self, now: Any = None) -> str:
        """'accepted', 'revoked', 'expired' or 'pending'."""
        from django.utils import timezone

        if self.accepted:
            return "accepted"
        if self.revoked:
            return "revoked"
        if (now or timezone.now()) >= self.expires:
            return "expired"
        return "pending"
