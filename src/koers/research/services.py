"""Proposing and approving projects, the members of a project, joining and withdrawing
organisations, and logging every access."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.text import slugify

from koers.organisations.models import AuditEvent, Organisation
from koers.research.models import AccessLog, Participation, ProjectMember, ResearchProject


def projects_of(user: Any) -> QuerySet[ResearchProject]:
    """The projects a researcher belongs to (Koers staff see every project)."""
    if getattr(user, "is_staff", False):
        return ResearchProject.objects.all()
    return ResearchProject.objects.filter(members__user=user)


def is_member(project: ResearchProject, user: Any) -> bool:
    return ProjectMember.objects.filter(project=project, user=user).exists()


def membership(project: ResearchProject, user: Any) -> ProjectMember | None:
    found: ProjectMember | None = ProjectMember.objects.filter(project=project, user=user).first()
    return found


# Slugs that are pages of /onderzoek/ themselves, never a project.
RESERVED_SLUGS = frozenset({"nieuw"})
# A researcher may have this many proposals waiting for a decision at once.
MAX_OPEN_PROPOSALS = 5


def open_proposals(user: Any) -> int:
    return ProjectMember.objects.filter(
        user=user,
        role=ProjectMember.Role.LEAD,
        project__state=ResearchProject.State.PENDING,
    ).count()


def _free_slug(title: str) -> str:
    base = (slugify(title)[:50].strip("-") or "project").lower()
    slug, n = base, 1
    while slug in RESERVED_SLUGS or ResearchProject.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def propose(user: Any, **fields: Any) -> ResearchProject:
    """A researcher proposes a project: it waits for Koers staff (state pending), the
    proposer is its lead and first member."""
    with transaction.atomic():
        project = ResearchProject.objects.create(
            slug=_free_slug(fields["title"]),
            lead=user,
            state=ResearchProject.State.PENDING,
            **fields,
        )
        ProjectMember.objects.create(project=project, user=user, role=ProjectMember.Role.LEAD)
        _log_member(project, user, "research.propose", user)
    return project


class MemberError(Exception):
    """Why a member cannot be added or removed (``code``; the view words it)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def find_account(email: str) -> Any:
    """The one active Koers account with this e-mail address, or None."""
    email = email.strip()
    if not email:
        return None
    accounts = list(get_user_model().objects.filter(email__iexact=email, is_active=True)[:2])
    if not accounts:
        accounts = list(get_user_model().objects.filter(username__iexact=email, is_active=True)[:2])
    return accounts[0] if len(accounts) == 1 else None


def add_member(
    project: ResearchProject, by: Any, email: str, role: str = ProjectMember.Role.RESEARCHER
) -> ProjectMember:
    """A lead adds an existing account (no account is created here: a Koers admin does)."""
    _require_lead(project, by)
    if role not in ProjectMember.Role.values:
        raise MemberError("role")
    account = find_account(email)
    if account is None:
        raise MemberError("no_account")
    with transaction.atomic():
        member, created = ProjectMember.objects.get_or_create(
            project=project, user=account, defaults={"role": role}
        )
        if not created:
            raise MemberError("already")
        _log_member(project, by, "research.member.add", account)
    return member


def remove_member(project: ResearchProject, by: Any, member_id: int) -> ProjectMember:
    """A lead removes a member; a project never loses its last lead."""
    _require_lead(project, by)
    with transaction.atomic():
        member = (
            ProjectMember.objects.select_for_update()
            .select_related("user")
            .filter(project=project, pk=member_id)
            .first()
        )
        if member is None:
            raise MemberError("not_member")
        if member.is_lead:
            leads = ProjectMember.objects.filter(project=project, role=ProjectMember.Role.LEAD)
            if leads.exclude(pk=member.pk).count() == 0:
                raise MemberError("last_lead")
        member.delete()
        if project.lead_id == member.user_id:
            successor = (
                ProjectMember.objects.filter(project=project, role=ProjectMember.Role.LEAD)
                .order_by("added")
                .first()
            )
            project.lead = successor.user if successor is not None else None
            project.save(update_fields=["lead"])
        _log_member(project, by, "research.member.remove", member.user)
    return member


def _require_lead(project: ResearchProject, user: Any) -> None:
    found = membership(project, user)
    if found is None or not found.is_lead:
        raise PermissionError("only a lead of the project changes its members")


def _log_member(project: ResearchProject, by: Any, action: str, account: Any) -> None:
    """A change of the project's team, in its log (shown on the project page)."""
    who = account.email or account.get_username()
    AccessLog.objects.create(project=project, user=by, action=action, target=who[:200])


MEMBER_ACTIONS = ("research.propose", "research.member.add", "research.member.remove")


def member_changes(project: ResearchProject, limit: int = 50) -> list[AccessLog]:
    """The latest changes of the project's team, newest first."""
    return list(
        AccessLog.objects.filter(project=project, action__in=MEMBER_ACTIONS)
        .select_related("user")
        .order_by("-created", "-pk")[:limit]
    )


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
