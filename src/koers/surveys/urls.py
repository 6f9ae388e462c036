from __future__ import annotations

from django.urls import path

from koers.surveys import manage_views, respond_views

respondent_patterns = [
    path("s/<str:token>/", respond_views.campaign_landing, name="campaign_landing"),
    path("hervatten/", respond_views.resume, name="resume"),
    path("r/<str:credential>/", respond_views.respond, name="respond"),
    path("r/<str:credential>/deel/<str:section>/", respond_views.section, name="respond_section"),
    path("r/<str:credential>/opslaan", respond_views.save, name="respond_save"),
    path("r/<str:credential>/afronden/", respond_views.review, name="respond_review"),
    path("r/<str:credential>/klaar/", respond_views.finish, name="respond_finish"),
    path("r/<str:credential>/bedankt/", respond_views.done, name="respond_done"),
    path("r/<str:credential>/verwijderen/", respond_views.delete, name="respond_delete"),
    path("r/<str:credential>/mijn-gegevens.json", respond_views.my_data, name="respond_my_data"),
]

org_patterns = [
    path("campaigns/", manage_views.campaign_list, name="campaign_list"),
    path("campaigns/<int:pk>/", manage_views.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/invite/", manage_views.campaign_invite, name="campaign_invite"),
    path("campaigns/<int:pk>/remind/", manage_views.campaign_remind, name="campaign_remind"),
    path("campaigns/<int:pk>/close/", manage_views.campaign_close, name="campaign_close"),
    path(
        "campaigns/<int:pk>/export.<str:fmt>",
        manage_views.campaign_export,
        name="campaign_export",
    ),
]
