from __future__ import annotations

from django.urls import URLPattern, path

from koers.scan import views, views_history

# Pages under /o/<slug:org>/ (included by koers.urls). Names start with the family of the
# object their pk points to ("scan_upload…", "scan_snapshot…"): the tenancy test relies on it.
org_patterns: list[URLPattern] = [
    path("scan/", views.scan_home, name="scan_home"),
    path("scan/upload/", views.scan_upload_new, name="scan_upload_new"),
    path("scan/uploads/<int:pk>/", views.scan_upload, name="scan_upload"),
    path(
        "scan/uploads/<int:pk>/voortgang/",
        views.scan_upload_progress,
        name="scan_upload_progress",
    ),
    path("scan/uploads/<int:pk>/kolommen/", views.scan_upload_mapping, name="scan_upload_mapping"),
    path("scan/uploads/<int:pk>/fouten/", views.scan_upload_problems, name="scan_upload_problems"),
    path(
        "scan/uploads/<int:pk>/fouten.csv",
        views.scan_upload_problems_csv,
        name="scan_upload_problems_csv",
    ),
    path(
        "scan/uploads/<int:pk>/geldige-rijen-importeren/",
        views.scan_upload_import_valid,
        name="scan_upload_import_valid",
    ),
    path(
        "scan/uploads/<int:pk>/verwijderen/",
        views.scan_upload_discard,
        name="scan_upload_discard",
    ),
    path("scan/<int:pk>/", views.scan_snapshot, name="scan_snapshot"),
    path("scan/<int:pk>/rapport.pdf", views.scan_snapshot_pdf, name="scan_snapshot_pdf"),
    path("scan/<int:pk>/verwijderen/", views.scan_snapshot_delete, name="scan_snapshot_delete"),
    path("scan/trend/", views_history.scan_trend, name="scan_trend"),
    path("scan/vergelijken/", views_history.scan_compare, name="scan_compare"),
    path(
        "scan/<int:pk>/vervangen/",
        views_history.scan_snapshot_replace,
        name="scan_snapshot_replace",
    ),
    path(
        "scan/<int:pk>/vervangen/bevestigen/",
        views_history.scan_snapshot_confirm,
        name="scan_snapshot_confirm",
    ),
    path(
        "scan/<int:pk>/vervangen/annuleren/",
        views_history.scan_snapshot_cancel,
        name="scan_snapshot_cancel",
    ),
    path("scan/<int:pk>/terugzetten/", views_history.scan_snapshot_undo, name="scan_snapshot_undo"),
]
