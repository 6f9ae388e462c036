from __future__ import annotations

from django.urls import path

from koers.programme import views

org_patterns = [
    path("programma/", views.org_page, name="programme_org"),
    path("programma/code/", views.enter_code, name="programme_code"),
    path("programma/<int:pk>/delen/", views.share, name="programme_share"),
    path("programma/<int:pk>/stoppen/", views.stop, name="programme_stop"),
]

office_patterns = [
    path("programma/<slug:slug>/", views.dashboard, name="programme_dashboard"),
    path("programma/<slug:slug>/uitnodigen/", views.invite, name="programme_invite"),
    path(
        "programma/<slug:slug>/uitnodigen/<int:pk>/intrekken/",
        views.withdraw,
        name="programme_invite_withdraw",
    ),
]
