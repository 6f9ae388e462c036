"""The action plan's workflows: save an action with its history, comment, record advice,
and the plan as other apps see it (``PlanLine``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language

from koers.lib.hooks import PlanLine
from koers.organisations.models import Organisation
from koers.plan.catalogue import load_catalogue
from koers.plan.models import Action, ActionChange, ActionComment, WorksCouncilAdvice

# The fields whose changes the history records, in the form's order.
TRACKED = ("measure", "title", "owner", "start", "due", "status", "budget", "indicator", "notes")


def _lang() -> str:
    return "en" if (get_language() or "nl").startswith("en") else "nl"


def today() -> dt.date:
    return timezone.localdate()


def _shown(action: Action, name: str) -> str:
    value = getattr(action, name)
    if value is None or value == "":
        return ""
    if name == "status":
        return str(Action.Status(value).label)
    if name == "measure":
        measure = load_catalogue().get(str(value))
        return measure.text("title", _lang()) if measure else str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return str(value)


def _snapshot(action: Action) -> dict[str, str]:
    return {name: _shown(action, name) for name in TRACKED}


def save_action(
    organisation: Organisation,
    action: Action,
    values: Mapping[str, Any],
    user: Any,
) -> Action:
    """Create or change ``action`` with ``values`` and record who changed what."""
    is_new = action.pk is None
    before = {} if is_new else _snapshot(Action.objects.get(pk=action.pk))
    for name in TRACKED:
        if name in values:
            setattr(action, name, values[name])
    action.organisation = organisation
    with transaction.atomic():
        action.save()
        after = _snapshot(action)
        changes = [
            [name, before.get(name, ""), after[name]]
            for name in TRACKED
            if before.get(name, "") != after[name]
        ]
        if changes:
            ActionChange.objects.create(
                organisation=organisation,
                action=action,
                user=user if getattr(user, "is_authenticated", False) else None,
                changes=changes,
            )
    return action


def add_comment(action: Action, text: str, user: Any) -> ActionComment:
    comment: ActionComment = ActionComment.objects.create(
        organisation=action.organisation,
        action=action,
        author=user if getattr(user, "is_authenticated", False) else None,
        text=text,
    )
    return comment


def record_advice(
    organisation: Organisation, text: str, given_on: dt.date, given_by: str, user: Any
) -> WorksCouncilAdvice:
    advice: WorksCouncilAdvice = WorksCouncilAdvice.objects.create(
        organisation=organisation,
        text=text,
        given_on=given_on,
        given_by=given_by,
        recorded_by=user if getattr(user, "is_authenticated", False) else None,
    )
    return advice


def planned_measures(organisation: Organisation) -> set[str]:
    """The catalogue measures that are in the plan and not stopped."""
    return set(
        Action.objects.for_org(organisation)
        .exclude(measure="")
        .exclude(status=Action.Status.STOPPED)
        .values_list("measure", flat=True)
    )


def plan_lines(organisation: Organisation) -> list[PlanLine]:
    """The ``plan_actions`` hook: every action, in the active language."""
    lang, day = _lang(), today()
    return [
        PlanLine(
            measure=action.display_title(lang),
            owner=action.owner,
            start=action.start,
            due=action.due,
            status=action.status,
            status_label=str(action.get_status_display()),
            indicator=action.indicator,
            late=action.is_late(day),
            url=reverse("plan_action", kwargs={"org": organisation.slug, "pk": action.pk}),
        )
        for action in Action.objects.for_org(organisation)
    ]
