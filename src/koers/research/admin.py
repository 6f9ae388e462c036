"""Koers staff can create research projects and add their researchers here (researchers
propose projects on ``/onderzoek/nieuw/`` and their leads add members on the project page);
approving or refusing happens on ``/onderzoek/<project>/besluit/`` (who and when are
recorded there)."""

from __future__ import annotations

from django.contrib import admin

from koers.research.models import Participation, ProjectMember, ResearchProject


class ProjectMemberInline(admin.TabularInline):  # type: ignore[type-arg]
    model = ProjectMember
    extra = 0
    autocomplete_fields = ["user"]


class ParticipationInline(admin.TabularInline):  # type: ignore[type-arg]
    """Read-only: only the organisation itself joins or stops (/o/<org>/onderzoek/)."""

    model = Participation
    extra = 0
    can_delete = False
    fields = ["organisation", "joined", "withdrawn"]
    readonly_fields = ["organisation", "joined", "withdrawn"]

    def has_add_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(ResearchProject)
class ResearchProjectAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["title", "state", "lead", "decided_on"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["lead"]
    readonly_fields = ["state", "decided_by", "decided_on", "decision_note"]
    inlines = [ProjectMemberInline, ParticipationInline]
