"""The demo organisation that `make run` loads, so a newcomer sees Koers working.

Idempotent: running it twice changes nothing and never resets a password a
user has changed. Other apps add their demo content through the hook
:data:`koers.lib.hooks.demo_loaders` (called with the demo organisation).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from koers.lib import hooks
from koers.organisations.models import Membership, Organisation, Role

DEMO_PASSWORD = "koers-demo-2026"  # printed by `make run`; demo installations only


@dataclass(frozen=True)
class DemoUser:
    email: str
    role: str
    org_slug: str


DEMO_ORG = ("voorbeeld-techniek", "Voorbeeld Techniek B.V.")
OTHER_ORG = ("andere-organisatie", "Andere Organisatie N.V.")
DEMO_USERS = [
    DemoUser("admin@voorbeeld.nl", Role.ADMIN, DEMO_ORG[0]),
    DemoUser("hr@voorbeeld.nl", Role.HR_ANALYST, DEMO_ORG[0]),
    DemoUser("manager@voorbeeld.nl", Role.MANAGER, DEMO_ORG[0]),
    DemoUser("or@voorbeeld.nl", Role.WORKS_COUNCIL, DEMO_ORG[0]),
    DemoUser("vertrouwenspersoon@voorbeeld.nl", Role.CONFIDENTIAL_ADVISER, DEMO_ORG[0]),
    DemoUser("onderzoeker@voorbeeld.nl", Role.RESEARCHER, DEMO_ORG[0]),
    DemoUser("admin@andere.nl", Role.ADMIN, OTHER_ORG[0]),
]


@transaction.atomic
def load_demo() -> list[str]:
    """Create the demo organisations and users; return lines describing what exists."""
    user_model = get_user_model()
    orgs = {}
    for slug, name in (DEMO_ORG, OTHER_ORG):
        orgs[slug], _ = Organisation.objects.get_or_create(slug=slug, defaults={"name": name})
    lines = []
    for demo in DEMO_USERS:
        user = user_model.objects.filter(username=demo.email).first()
        if user is None:
            user = user_model.objects.create_user(
                username=demo.email, email=demo.email, password=DEMO_PASSWORD
            )
        if demo.role == Role.ADMIN and demo.org_slug == DEMO_ORG[0] and not user.is_staff:
            user.is_staff = user.is_superuser = True
            user.save(update_fields=["is_staff", "is_superuser"])
        Membership.objects.get_or_create(
            user=user, organisation=orgs[demo.org_slug], defaults={"role": demo.role}
        )
        lines.append(f"{demo.email:34} {Role(demo.role).label} ({orgs[demo.org_slug].name})")
    from koers.accounts.twofactor import STAFF_ROLES_REQUIRING_2FA

    for demo in DEMO_USERS:
        if demo.role in STAFF_ROLES_REQUIRING_2FA and demo.org_slug == DEMO_ORG[0]:
            lines.append(_demo_authenticator(user_model.objects.get(username=demo.email)))
    lines.append(_demo_invitations(orgs[DEMO_ORG[0]], orgs_admin(orgs[DEMO_ORG[0]])))
    for loader in hooks.demo_loaders.implementations():
        summary = loader(orgs[DEMO_ORG[0]])
        if summary:
            lines.append(summary)
    return lines


# The demo's open invitation (demo installations only): its link is printed by `make run`.
DEMO_INVITE_TOKEN = "demo-uitnodiging-voor-koers-2026"
DEMO_INVITEE = "nieuw@voorbeeld.nl"


def orgs_admin(org: Organisation) -> Any:
    found = Membership.objects.filter(organisation=org, role=Role.ADMIN).first()
    return found.user if found else None


def _demo_invitations(org: Organisation, admin: Any) -> str:
    """One pending invitation (the first-week journey) and one already accepted."""
    import datetime as dt

    from django.conf import settings
    from django.urls import reverse
    from django.utils import timezone

    from koers.organisations.invitations import token_hash
    from koers.organisations.models import MemberInvitation

    now = timezone.now()
    pending = MemberInvitation.objects.filter(organisation=org, email=DEMO_INVITEE).first()
    if pending is None:
        pending = MemberInvitation.objects.create(
            organisation=org,
            email=DEMO_INVITEE,
            role=Role.HR_ANALYST,
            token_hash=token_hash(DEMO_INVITE_TOKEN),
            invited_by=admin,
            sent=now,
            expires=now + dt.timedelta(days=7),
        )
    elif pending.state(now) == "expired":  # a demo opened weeks later still works
        MemberInvitation.objects.filter(pk=pending.pk).update(
            sent=now, expires=now + dt.timedelta(days=7)
        )
    hr = Membership.objects.filter(organisation=org, role=Role.HR_ANALYST).first()
    if hr is not None:
        MemberInvitation.objects.get_or_create(
            organisation=org,
            email=hr.user.email,
            defaults={
                "role": Role.HR_ANALYST,
                "token_hash": token_hash(f"demo-used-{org.pk}"),
                "invited_by": admin,
                "sent": now - dt.timedelta(days=30),
                "expires": now - dt.timedelta(days=23),
                "accepted": now - dt.timedelta(days=29),
            },
        )
    link = settings.SITE_URL.rstrip("/") + reverse(
        "member_accept", kwargs={"token": DEMO_INVITE_TOKEN}
    )
    pending.refresh_from_db()
    return f"Invitation for {DEMO_INVITEE} (HR analyst, {pending.state()}): {link}"


def _demo_authenticator(user: object) -> str:
    """A confirmed TOTP device for a demo staff user, printed so a newcomer can log in."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from koers.accounts.twofactor import secret_of

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Koers demo", confirmed=True)
    return (
        f"2FA for {user}: add key {secret_of(device)} to an authenticator app, "
        f"or use {device.config_url}"
    )
