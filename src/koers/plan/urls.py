from __future__ import annotations

from django.urls import path

from koers.plan import views

org_patterns = [
    path("plan/", views.plan_list, name="plan_list"),
    path("plan/aanbevelingen/", views.recommendations, name="plan_recommendations"),
    path("plan/nieuw/", views.action_new, name="plan_new"),
    path("plan/advies/", views.advice_new, name="plan_advice"),
    path("plan/<int:pk>/", views.action_detail, name="plan_action"),
    path("plan/<int:pk>/bewerken/", views.action_edit, name="plan_action_edit"),
    path("plan/<int:pk>/reactie/", views.action_comment, name="plan_action_comment"),
]
