from __future__ import annotations

from django.urls import path

from koers.targets import views, views_reports

org_patterns = [
    path("doelen/", views.target_list, name="targets_list"),
    path("doelen/nieuw/", views.target_new, name="targets_new"),
    path("doelen/<int:pk>/", views.target_edit, name="targets_edit"),
    path("doelen/<int:pk>/verwijderen/", views.target_delete, name="targets_delete"),
    path("doelen/subtop/", views.subtop, name="targets_subtop"),
    path("doelen/monitor/", views_reports.monitor, name="targets_monitor"),
    path("doelen/terugkomdag/", views_reports.programme_day_view, name="targets_programme_day"),
    path(
        "doelen/terugkomdag/pdf/",
        views_reports.programme_day_pdf,
        name="targets_programme_day_pdf",
    ),
    path(
        "doelen/terugkomdag/csv/",
        views_reports.programme_day_csv,
        name="targets_programme_day_csv",
    ),
    path("doelen/jaarrapportage/", views_reports.ser_report, name="targets_ser"),
    path("doelen/jaarrapportage/opslaan/", views_reports.ser_save, name="targets_ser_save"),
    path("doelen/jaarrapportage/pdf/", views_reports.ser_pdf, name="targets_ser_pdf"),
    path("doelen/jaarrapportage/csv/", views_reports.ser_csv, name="targets_ser_csv"),
]
