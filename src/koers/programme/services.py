"""Invitations, joining, choosing what to share, stopping, and the office's query log."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from koers.lib import codes
from koers.organisations import audit
from koers.organisations.models import Organisation
from koers.programme import extract
from koers.programme.models import Invitation, Participation, Programme, QueryLog

log = logging.getLogger(__name__)

CODE_DOMAIN = "programme-invite"
CODE_LENGTH = 12  # 60 bits; guessing is also limited per address (koers.lib.ratelimit)
VALID_DAYS = 60

SHARE_FIELDS = ("share_scan", "share_targets", "share_measures", "share_compass")


def invite(programme: Programme, organisation: Organisation) -> Participation:
    participation: Participation = Participation.objects.get_or_create(
        programme=programme, organisation=organisation
    )[0]
    return participation


# --- invitations by code ---------------------------------------------------------------------


class CodeRefused(Exception):
    """A code that opens nothing: unknown, used, withdrawn or expired (one message for all)."""

    def __init__(self) -> None:
        super().__init__(
            _(
                "Deze code is niet (meer) geldig. Controleer de code, of vraag het "
                "programmabureau om een nieuwe."
            )
        )


class AlreadyTakingPart(Exception):
    """The organisation already has a participation in the code's programme."""


class InvitationError(Exception):
    """A step the office cannot take; the message says why."""


def code_hash(code: str) -> str:
    return codes.keyed_hash(CODE_DOMAIN, codes.normalise_code(code))


@transaction.atomic
def create_invitation(programme: Programme, name: str, by: Any) -> tuple[Invitation, str]:
    """A new invitation and its code (shown once, never stored: only its keyed hash)."""
    now = timezone.now()
    code = codes.new_code(CODE_LENGTH)
    invitation = Invitation.objects.create(
        programme=programme,
        name=name.strip(),
        code_hash=code_hash(code),
        created=now,
        created_by=by if getattr(by, "is_authenticated", False) else None,
        expires=now + dt.timedelta(days=VALID_DAYS),
    )
    return invitation, codes.format_code(code)


def invitations_of(programme: Programme) -> list[Invitation]:
    return list(
        Invitation.objects.filter(programme=programme).select_related(
            "organisation", "created_by", "withdrawn_by"
        )
    )


@transaction.atomic
def withdraw_invitation(programme: Programme, pk: int, by: Any) -> Invitation:
    """Withdraw an open invitation of ``programme``: its code stops working."""
    now = timezone.now()
    changed = Invitation.objects.filter(
        programme=programme, pk=pk, used__isnull=True, withdrawn__isnull=True, expires__gt=now
    ).update(withdrawn=now, withdrawn_by=by)
    if changed != 1:
        raise InvitationError(_("Deze uitnodiging is al gebruikt, ingetrokken of verlopen."))
    return Invitation.objects.get(pk=pk)


def _find(code: str) -> Invitation | None:
    if not codes.looks_like_code(code, CODE_LENGTH):
        return None
    digest = code_hash(code)
    found = Invitation.objects.select_related("programme").filter(code_hash=digest).first()
    if found is None and codes.adopt_former_hash(
        Invitation, "code_hash", CODE_DOMAIN, codes.normalise_code(code)
    ):
        found = Invitation.objects.select_related("programme").filter(code_hash=digest).first()
    return found


def _taking_part(organisation: Organisation, programme: Programme) -> bool:
    return bool(Participation.objects.for_org(organisation).filter(programme=programme).exists())


@transaction.atomic
def use_code(organisation: Organisation, code: str, user: Any) -> Participation:
    """The organisation's admin enters a code: the organisation is invited (once per code).

    Raises :class:`CodeRefused` for every code that opens nothing, and
    :class:`AlreadyTakingPart` (the code stays open) when the organisation already has a
    participation in that programme. The conditional update is the single-use guarantee.
    """
    invitation = _find(code)
    now = timezone.now()
    if invitation is None or invitation.state(now) != "open":
        raise CodeRefused
    programme = invitation.programme
    if _taking_part(organisation, programme):
        raise AlreadyTakingPart(programme.name)
    used = Invitation.objects.filter(
        pk=invitation.pk, used__isnull=True, withdrawn__isnull=True, expires__gt=now
    ).update(used=now, organisation=organisation)
    if used != 1:
        raise CodeRefused
    try:
        with transaction.atomic():
            participation: Participation = Participation.objects.create(
                programme=programme, organisation=organisation, status=Participation.Status.INVITED
            )
    except IntegrityError:
        # Another code of the same programme, entered at the same moment: the exception
        # rolls the outer transaction back, so this code stays open.
        raise AlreadyTakingPart(programme.name) from None
    audit.record(organisation, user, "programme.code", programme.name)
    return participation


EMAIL_SUBJECT = gettext_noop("Uitnodiging voor het sectorprogramma %(programme)s")
EMAIL_BODY = gettext_noop(
    "%(name)s is uitgenodigd om mee te doen aan het sectorprogramma %(programme)s in "
    "Koers.\n\n"
    "De beheerder van uw organisatie in Koers logt in op %(site)s, opent "
    "Sectorprogramma's en voert deze code in:\n\n    %(code)s\n\n"
    "De code werkt één keer en tot %(expires)s (%(days)s dagen). Daarna kiest uw "
    "organisatie zelf wat zij deelt, en kan zij altijd stoppen. Het programma ziet nooit "
    "de cijfers van uw organisatie alleen.\n\n"
    "Gebruikt uw organisatie Koers nog niet? Neem dan contact op met het programmabureau. "
    "Verwachtte u deze uitnodiging niet? Dan kunt u dit bericht negeren."
)


def invitation_email(
    programme: Programme, name: str, code: str, expires: dt.datetime
) -> tuple[str, str]:
    """The e-mail with the code, in Dutch with the English below: (subject, body)."""
    values = {
        "programme": programme.name,
        "name": name,
        "code": code,
        "site": settings.SITE_URL.rstrip("/"),
        "expires": timezone.localtime(expires).strftime("%Y-%m-%d"),
        "days": str(VALID_DAYS),
    }
    parts = {}
    for language in ("nl", "en"):
        with translation.override(language):
            subject = _(EMAIL_SUBJECT) % values
            body = _(EMAIL_BODY) % values
            parts[language] = (subject, body)
    return (
        f"{parts['nl'][0]} / {parts['en'][0]}",
        f"{parts['nl'][1]}\n\n-- English --\n\n{parts['en'][1]}",
    )


def send_invitation(invitation: Invitation, code: str, address: str) -> bool:
    """E-mail the code to ``address`` (which is not stored). False when sending failed."""
    subject, body = invitation_email(
        invitation.programme, invitation.name, code, invitation.expires
    )
    try:
        send_mail(subject, body, None, [address])
    except Exception:  # an unreachable mail server: the office still has the text to send
        log.exception("could not send programme invitation %s", invitation.pk)
        return False
    Invitation.objects.filter(pk=invitation.pk).update(emailed=timezone.now())
    return True


def participations_of(organisation: Organisation) -> list[Participation]:
    return list(
        Participation.objects.for_org(organisation)
        .select_related("programme")
        .order_by("programme__name")
    )


@transaction.atomic
def choose(
    participation: Participation, user: Any, *, sector: str, shares: dict[str, bool]
) -> Participation:
    """The admin joins (or changes what is shared); the shared figures are copied at once."""
    participation.sector = sector
    for name in SHARE_FIELDS:
        setattr(participation, name, bool(shares.get(name)))
    if not any(shares.get(name) for name in SHARE_FIELDS):
        return stop(participation, user)
    if participation.status != Participation.Status.ACTIVE:
        participation.accepted = timezone.now()
    participation.status = Participation.Status.ACTIVE
    participation.stopped = None
    participation.save()
    extract.refresh(participation)
    audit.record(
        participation.organisation,
        user,
        "programme.share",
        participation.programme.name,
        {name: getattr(participation, name) for name in SHARE_FIELDS},
    )
    return participation


@transaction.atomic
def stop(participation: Participation, user: Any) -> Participation:
    """Stop sharing: the copies are deleted, so the organisation is in no later figure."""
    participation.status = Participation.Status.STOPPED
    participation.stopped = timezone.now()
    for name in SHARE_FIELDS:
        setattr(participation, name, False)
    participation.save()
    extract.refresh(participation)  # deletes every shared year and measure
    audit.record(participation.organisation, user, "programme.stop", participation.programme.name)
    return participation


def log_query(programme: Programme, user: Any, figure: str, filters: dict[str, str]) -> None:
    QueryLog.objects.create(
        programme=programme,
        user=user if getattr(user, "is_authenticated", False) else None,
        figure=figure,
        filters=filters,
    )


def query_log(programme: Programme, limit: int = 50) -> list[QueryLog]:
    return list(QueryLog.objects.filter(programme=programme).select_related("user")[:limit])
