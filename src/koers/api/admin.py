from __future__ import annotations

from django.contrib import admin

from koers.api.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["name", "organisation", "role", "created", "last_used", "revoked"]
    list_filter = ["revoked", "role"]
    readonly_fields = ["token_hash", "created", "last_used"]
