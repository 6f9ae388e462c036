from __future__ import annotations

from django.urls import path

from koers.dialogue import views

public_patterns = [
    path("dialoog/", views.join, name="dialogue_join"),
    path("dialoog/sessie/", views.participate, name="dialogue_participate"),
    path("dialoog/sessie/stand.json", views.participant_state, name="dialogue_state"),
    path("keuzes/", views.costs, name="dialogue_costs"),
]

org_patterns = [
    path("dialoog/", views.sessions, name="dialogue_sessions"),
    path("dialoog/kaarten/", views.deck_page, name="dialogue_deck"),
    path("ouderwijzer/", views.guide, name="dialogue_guide"),
    path("flexibiliteit/", views.flex_register, name="dialogue_flex"),
    path("flexibiliteit/vastleggen/", views.flex_record, name="dialogue_flex_record"),
    path("flexibiliteit/<int:pk>/verwijderen/", views.flex_delete, name="dialogue_flex_delete"),
    path("dialoog/nieuw/", views.session_new, name="dialogue_session_new"),
    path("dialoog/<int:pk>/", views.session_detail, name="dialogue_session"),
    path("dialoog/<int:pk>/sturen/", views.session_control, name="dialogue_session_control"),
    path("dialoog/<int:pk>/samenvatting/", views.summary, name="dialogue_summary"),
    path("dialoog/<int:pk>/samenvatting.pdf", views.summary_pdf, name="dialogue_summary_pdf"),
]
