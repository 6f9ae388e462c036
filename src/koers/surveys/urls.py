from __future__ import annotations

from django.urls import path

from koers.surveys import manage_views, respond_views

# A personal credential is in a URL only on the first visit (``r/…``, the invitation
# e-mail's link): that view moves it into a cookie and redirects to the slot's pages under
# ``invullen/<slot>/``, which read it from the cookie (koers.surveys.respond_views).
# koers.web.logging redacts what follows /r/ and /s/ in every log line.
respondent_patterns = [
    path("s/<str:token>/", respond_views.campaign_landing, name="campaign_landing"),
    path("hervatten/", respond_views.resume, name="resume"),
    path("r/<str:credential>/", respond_views.open_link, name="respond"),
    path("r/<str:credential>/<path:rest>", respond_views.open_link, name="respond_legacy"),
    path("invullen/<str:slot>/", respond_views.home, name="respond_home"),
    path("invullen/<str:slot>/deel/<str:section>/", respond_views.section, name="respond_section"),
    path("invullen/<str:slot>/opslaan", respond_views.save, name="respond_save"),
    path("invullen/<str:slot>/afronden/", respond_views.review, name="respond_review"),
    path("invullen/<str:slot>/klaar/", respond_views.finish, name="respond_finish"),
    path("invullen/<str:slot>/bedankt/", respond_views.done, name="respond_done"),
    path("invullen/<str:slot>/verwijderen/", respond_views.delete, name="respond_delete"),
    path(
        "invullen/<str:slot>/onderzoek/",
        respond_views.research_consent,
        name="respond_research_consent",
    ),
    path("invullen/<str:slot>/mijn-gegevens.json", respond_views.my_data, name="respond_my_data"),
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
