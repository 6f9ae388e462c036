"""API tokens for organisation integrations (an HR system pushing data, a BI tool reading)."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from koers.organisations.models import OrganisationOwned, Role

TOKEN_PREFIX = "koers_"


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


class ApiToken(OrganisationOwned):
    name = models.CharField(_("naam"), max_length=100)
    # The role the integration acts with; the same access rules as for people.
    role = models.CharField(max_length=32, choices=Role.choices, default=Role.HR_ANALYST)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created = models.DateTimeField(auto_now_add=True)
    last_used = models.DateTimeField(null=True, blank=True)
    revoked = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("API-sleutel")
        verbose_name_plural = _("API-sleutels")

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})"

    @classmethod
    def issue(
        cls, organisation: object, name: str, role: str = Role.HR_ANALYST, user: object = None
    ) -> tuple[ApiToken, str]:
        """Create a token; return it with the raw secret, which is shown once, never stored."""
        raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(
            organisation=organisation,
            name=name,
            role=role,
            token_hash=hash_token(raw),
            created_by=user,
        )
        return token, raw
