"""Inviting people into an organisation: an e-mailed link that expires and works once.

The admin of an organisation invites an address with a role. The link carries a random
secret (256 bits); Koers stores only its keyed hash, so a database copy holds no working
link. Opening the link lets the invitee set a password (or join with the account they
have); their first login then asks for two-factor setup when the role needs it
(:mod:`koers.accounts.middleware`). Resending makes a new link (the old one stops
working) and restarts the expiry; revoking ends it. Every step is in the audit log.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from koers.lib import codes
from koers.organisations import audit
from koers.organisations.models import MemberInvitation, Membership, Organisation, Role

log = logging.getLogger(__name__)

INVITE_DOMAIN = "member-invite"


class InvitationError(Exception):
    """A step that cannot be taken; the message says why, for the admin or invitee."""


def valid_days() -> int:
    return int(settings.KOERS_MEMBER_INVITE_DAYS)


def token_hash(token: str) -> str:
    return codes.keyed_hash(INVITE_DOMAIN, token)


def _normalise(email: str) -> str:
    return email.strip().lower()


def user_with_email(email: str) -> Any:
    return get_user_model().objects.filter(email__iexact=_normalise(email)).first()


def pending(organisation: Organisation) -> list[MemberInvitation]:
    now = timezone.now()
    return [
        i
        for i in MemberInvitation.objects.for_org(organisation).filter(
            accepted__isnull=True, revoked__isnull=True
        )
        if i.state(now) in ("pending", "expired")
    ]


def _fresh(invitation: MemberInvitation) -> str:
    token = codes.new_secret()
    now = timezone.now()
    invitation.token_hash = token_hash(token)
    invitation.sent = now
    invitation.expires = now + dt.timedelta(days=valid_days())
    return token


@transaction.atomic
def invite(organisation: Organisation, email: str, role: str, by: Any) -> tuple[Any, str]:
    """A new invitation and its link secret (shown to nobody; e-mailed by :func:`send`)."""
    email = _normalise(email)
    if Membership.objects.filter(organisation=organisation, user__email__iexact=email).exists():
        raise InvitationError(_("%(email)s is al lid van deze organisatie.") % {"email": email})
    open_ones = MemberInvitation.objects.for_org(organisation).filter(
        email=email, accepted__isnull=True, revoked__isnull=True
    )
    if open_ones.exists():
        raise InvitationError(
            _("%(email)s heeft al een uitnodiging. Stuur die opnieuw in de lijst hieronder.")
            % {"email": email}
        )
    invitation = MemberInvitation(organisation=organisation, email=email, role=role, invited_by=by)
    token = _fresh(invitation)
    invitation.save()
    audit.record(organisation, by, "member.invite", email, {"role": role})
    return invitation, token


def _open_invitation(organisation: Organisation, pk: int) -> MemberInvitation:
    """An invitation of ``organisation`` that was not accepted or revoked (else an error)."""
    invitation = MemberInvitation.objects.for_org(organisation).filter(pk=pk).first()
    if invitation is None or invitation.accepted or invitation.revoked:
        raise InvitationError(_("Deze uitnodiging is al gebruikt of ingetrokken."))
    return invitation  # type: ignore[no-any-return]


@transaction.atomic
def resend(organisation: Organisation, pk: int, by: Any) -> tuple[MemberInvitation, str]:
    """A new link for an open invitation; the previous link stops working."""
    invitation = _open_invitation(organisation, pk)
    token = _fresh(invitation)
    invitation.save(update_fields=["token_hash", "sent", "expires"])
    audit.record(organisation, by, "member.invite_resend", invitation.email)
    return invitation, token


@transaction.atomic
def revoke(organisation: Organisation, pk: int, by: Any) -> MemberInvitation:
    invitation = _open_invitation(organisation, pk)
    invitation.revoked = timezone.now()
    invitation.save(update_fields=["revoked"])
    audit.record(organisation, by, "member.invite_revoke", invitation.email)
    return invitation


def find(token: str) -> MemberInvitation | None:
    """The invitation this link belongs to, in any state (the page says which), or None."""
    if not token or len(token) > 100:
        return None
    found: MemberInvitation | None = (
        MemberInvitation.objects.select_related("organisation")
        .filter(token_hash=token_hash(token))
        .first()
    )
    return found


@transaction.atomic
def accept(invitation: MemberInvitation, user: Any) -> Membership:
    """Use the invitation once: ``user`` becomes a member with the invited role.

    The conditional update is the single-use guarantee: of two requests with the same link,
    only one changes the row; the other gets an error.
    """
    now = timezone.now()
    used = MemberInvitation.objects.filter(
        pk=invitation.pk, accepted__isnull=True, revoked__isnull=True, expires__gt=now
    ).update(accepted=now)
    if used != 1:
        raise InvitationError(_("Deze uitnodiging is al gebruikt, ingetrokken of verlopen."))
    if _normalise(user.email) != invitation.email:
        raise InvitationError(_("Deze uitnodiging is voor een ander e-mailadres."))
    membership, created = Membership.objects.get_or_create(
        organisation=invitation.organisation, user=user, defaults={"role": invitation.role}
    )
    if not created:
        raise InvitationError(_("Je bent al lid van deze organisatie."))
    audit.record(
        invitation.organisation, user, "member.invite_accept", user.email, {"role": invitation.role}
    )
    return membership


@transaction.atomic
def remove_member(organisation: Organisation, pk: int, by: Any) -> Membership:
    """End a membership (the account stays: it may belong to other organisations)."""
    membership = (
        Membership.objects.select_related("user").filter(organisation=organisation, pk=pk).first()
    )
    if membership is None:
        raise InvitationError(_("Dit lid bestaat niet (meer)."))
    if membership.user_id == getattr(by, "pk", None):
        raise InvitationError(_("Je kunt jezelf niet verwijderen. Vraag een andere beheerder."))
    admins = Membership.objects.filter(organisation=organisation, role=Role.ADMIN)
    if membership.role == Role.ADMIN and admins.exclude(pk=pk).count() == 0:
        raise InvitationError(_("Een organisatie heeft minstens één beheerder nodig."))
    membership.delete()
    audit.record(
        organisation, by, "member.remove", membership.user.email, {"role": membership.role}
    )
    return membership


def link(token: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("member_accept", kwargs={"token": token})


def send(invitation: MemberInvitation, token: str) -> bool:
    """The invitation e-mail, in Dutch with the English below. False when it failed."""
    values: dict[str, str] = {
        "org": invitation.organisation.name,
        "link": link(token),
        "days": str(valid_days()),
        "expires": timezone.localtime(invitation.expires).strftime("%Y-%m-%d %H:%M"),
    }
    parts = {}
    for language in ("nl", "en"):
        with translation.override(language):
            role = str(Role(invitation.role).label)
            subject = _(gettext_noop("Uitnodiging voor Koers: %(org)s")) % values
            body = _(
                gettext_noop(
                    "Je bent uitgenodigd om in Koers mee te werken voor %(org)s, met de rol "
                    "%(role)s.\n\n"
                    "Open deze link om je account te maken of je bestaande account te "
                    "koppelen:\n%(link)s\n\n"
                    "De link werkt één keer en verloopt op %(expires)s (na %(days)s dagen). "
                    "Bij de eerste keer inloggen stel je, als je rol dat vraagt, een "
                    "authenticator-app in voor inloggen in twee stappen.\n\n"
                    "Verwachtte je deze uitnodiging niet? Dan kun je dit bericht negeren."
                )
            ) % {**values, "role": role}
            parts[language] = (subject, body)
    try:
        send_mail(
            f"{parts['nl'][0]} / {parts['en'][0]}",
            f"{parts['nl'][1]}\n\n-- English --\n\n{parts['en'][1]}",
            None,
            [invitation.email],
        )
    except Exception:  # an unreachable mail server: the admin sees it and can resend
        log.exception("could not send member invitation %s", invitation.pk)
        return False
    return True
