"""Approving projects, joining and withdrawing organisations, and logging every access."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from koers.organisations.models import AuditEvent, Organisation
from koers.research.models import AccessLog, Participation, ProjectMember, ResearchProject


def projects_of(user: Any) -> QuerySet[ResearchProject]:
    """The projects a researcher belongs to (Koers staff see every project)."""
    if getattr(user, "is_staff", False):
        return ResearchProject.objects.all()
    return ResearchProject.objects.filter(members__user=user)


def is_member(project: ResearchProject, user: Any) -> bool:
    return ProjectMember.objects.filter(project=project, user=user).exists()


def decide(project: ResearchProject, user: Any, *, approve: bool, note: str = "") -> None:
    """A Koers staff member approves or refuses a project (the view checks ``is_staff``)."""
    if not getattr(user, "is_staff", False):
        raise PermissionError("only Koers staff decide on research projects")
    project.state = ResearchProject.State.APPROVED if approve else ResearchProject.State.REFUSED
    project.decided_by = user
    project.decided_on = timezone.now()
    project.decision_note = note
    project.save(update_fields=["state", "decided_by", "decided_on", "decision_note"])


def join(project: ResearchProject, organisation: Organisation, user: Any) -> Participation:
    """The organisation takes part (again): its consenting respondents join the pool."""
    with transaction.atomic():
        found, created = Participation.objects.get_or_create(
            project=project,
            organisation=organisation,
            defaults={"joined": timezone.now(), "joined_by": user},
        )
        if not created and found.withdrawn is not None:
            found.joined, found.joined_by = timezone.now(), user
            found.withdrawn = found.withdrawn_by = None
            found.save(update_fields=["joined", "joined_by", "withdrawn", "withdrawn_by"])
    record_org(organisation, user, "research.join", project)
    return found  # type: ignore[no-any-return]


def withdraw(project: ResearchProject, organisation: Organisation, user: Any) -> None:
    """The organisation stops: its data leave every later view and export of the project."""
    Participation.objects.filter(
        project=project, organisation=organisation, withdrawn__isnull=True
    ).update(withdrawn=timezone.now(), withdrawn_by=user)
    record_org(organisation, user, "research.withdraw", project)


def record_org(
    organisation: Organisation, user: Any, action: str, project: ResearchProject
) -> None:
    from koers.organisations import audit

    if action == "research.join":
        audit.record(organisation, user, "research.join", project.title, {"project": project.slug})
    else:
        audit.record(
            organisation, user, "research.withdraw", project.title, {"project": project.slug}
        )


def log_access(
    project: ResearchProject,
    user: Any,
    action: str,
    organisations: list[Organisation],
    *,
    target: str = "",
    n_rows: int = 0,
) -> None:
    """One row in the project's log, and the same event in the audit log of every
    organisation whose data the view or download contained (two statements)."""
    user = user if getattr(user, "is_authenticated", False) else None
    AccessLog.objects.create(
        project=project,
        user=user,
        action=action,
        target=target[:200],
        n_organisations=len(organisations),
        n_rows=n_rows,
    )
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                organisation=org,
                user=user,
                action=action,
                target=f"{project.title}: {target}"[:200],
                detail={"project": project.slug},
            )
            for org in organisations
        ]
    )
