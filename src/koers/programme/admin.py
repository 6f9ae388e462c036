"""Programmes and their office are set up in the Django admin.

The office invites organisations on its own page (``/programma/<slug>/uitnodigen/``, a
one-time code). A participation may still be added here (status "invited"); what an
organisation shares is its own admin's choice, so those fields are read-only here. The
shared figures and the invitation codes are not in the admin.
"""

from __future__ import annotations

from django.contrib import admin

from koers.programme.models import OfficeMember, Participation, Programme, QueryLog


class OfficeInline(admin.TabularInline):  # type: ignore[type-arg]
    model = OfficeMember
    extra = 1
    raw_id_fields = ["user"]


class ParticipationInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Participation
    extra = 1
    fields = [
        "organisation",
        "status",
        "sector",
        "share_scan",
        "share_targets",
        "share_measures",
        "share_compass",
        "accepted",
        "stopped",
    ]
    readonly_fields = [
        "status",
        "sector",
        "share_scan",
        "share_targets",
        "share_measures",
        "share_compass",
        "accepted",
        "stopped",
    ]


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["name", "slug", "created"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [OfficeInline, ParticipationInline]


@admin.register(QueryLog)
class QueryLogAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["programme", "user", "figure", "filters", "created"]
    list_filter = ["programme"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False
