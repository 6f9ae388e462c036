from __future__ import annotations

from django.contrib import admin

from koers.jobs.models import Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["kind", "organisation", "status", "progress", "created"]
    list_filter = ["status", "kind"]
    readonly_fields = ["created", "started", "finished"]
