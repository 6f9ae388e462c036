"""Respondent workflows: starting, autosaving under the version rule, finishing, deleting.

Views call these and nothing else touches the survey tables, so the privacy
and concurrency rules live in one place (tests in ``surveys/tests``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from koers.instruments import AnswerError, Instrument
from koers.lib import hooks
from koers.surveys import hot_path, links
from koers.surveys.models import Answer, Campaign, Invitation, Response


@dataclass(frozen=True)
class Started:
    response: Response
    secret: str
    code: str | None  # resume code, anonymous campaigns only


@dataclass(frozen=True)
class SaveResult:
    """Outcome of one save: ``status`` is "saved", "unchanged", "conflict" or "invalid"."""

    status: str
    item_id: str
    value: Any = None
    version: int = 0
    message: str = ""

    @property
    def ok(self) -> bool:
        return self.status in ("saved", "unchanged")

    def as_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "item": self.item_id,
            "value": self.value,
            "version": self.version,
            "message": self.message,
        }


class CampaignClosed(Exception):
    """The campaign does not accept (new) answers."""


def start_open_response(campaign: Campaign, language: str) -> Started:
    """A new anonymous response with its link secret and resume code."""
    if not campaign.is_open():
        raise CampaignClosed(campaign.pk)
    for _ in range(5):
        secret, code = links.new_secret(), links.new_resume_code()
        try:
            with transaction.atomic():
                response = Response.objects.create(
                    campaign=campaign,
                    access_hash=links.response_hash(secret),
                    code_hash=links.code_hash(code),
                    instrument_version=campaign.instrument_version,
                    language=language,
                )
            return Started(response, secret, code)
        except IntegrityError:  # a resume-code collision (1 in 2^60): draw again
            continue
    raise RuntimeError("could not draw a unique resume code")


def start_invited_response(invitation: Invitation, secret: str, language: str) -> Response:
    """The response behind an invitation link, created on first use (idempotent)."""
    if not invitation.campaign.is_open():
        raise CampaignClosed(invitation.campaign_id)
    response, _ = Response.objects.get_or_create(
        access_hash=links.response_hash(secret),
        defaults={
            "campaign": invitation.campaign,
            "instrument_version": invitation.campaign.instrument_version,
            "language": language,
        },
    )
    return response


def find_response(credential: str) -> Response | None:
    """The response a link secret or a resume code opens, if any (campaign and
    organisation loaded with it)."""
    found = hot_path.response_by("access_hash", links.response_hash(credential))
    if found is None and links.looks_like_code(credential):
        found = hot_path.response_by("code_hash", links.code_hash(credential))
    if found is None:
        found = _found_under_former_key(credential)
    return found


def _found_under_former_key(credential: str) -> Response | None:
    """After a key rotation: find by a former key's hash and store the current one."""
    if links.adopt_former_hash(Response, "access_hash", links.RESPONSE, credential):
        return hot_path.response_by("access_hash", links.response_hash(credential))
    if links.looks_like_code(credential):
        code = links.normalise_code(credential)
        if links.adopt_former_hash(Response, "code_hash", links.RESUME_CODE, code):
            return hot_path.response_by("code_hash", links.code_hash(code))
    return None


def find_invitation(secret: str) -> Invitation | None:
    current = links.invitation_hash(secret)
    invitations = Invitation.objects.select_related("campaign", "campaign__organisation")
    found = invitations.filter(secret_hash=current).first()
    if found is None and links.adopt_former_hash(
        Invitation, "secret_hash", links.INVITATION, secret
    ):
        found = invitations.filter(secret_hash=current).first()
    return found


def save_answer(
    response: Response, instrument: Instrument, item_id: str, raw: Any, base_version: int
) -> SaveResult:
    """Save one answer if ``base_version`` is the version it was based on.

    The write is one conditional UPDATE (``WHERE version = base``), atomic on
    SQLite and PostgreSQL alike: a stale save (a phone's queued save after a
    tunnel) is refused with the current answer instead of overwriting it. The
    same value saved twice (a double submit) is not a conflict.
    """
    if response.is_finished:
        return SaveResult("invalid", item_id, message="finished")
    if not response.campaign.is_open():
        return SaveResult("invalid", item_id, message="closed")
    try:
        item = instrument.item(item_id)
    except KeyError:
        return SaveResult("invalid", item_id, message="unknown item")
    try:
        value = None if raw is None or raw == "" else item.clean_answer(raw)
    except AnswerError as exc:
        return SaveResult("invalid", item_id, message=str(exc))

    if base_version == 0 and hot_path.insert_first(response.pk, item_id, value):
        return SaveResult("saved", item_id, value, 1)
    version = hot_path.update_if_version(response.pk, item_id, value, base_version)
    if version is not None:
        return SaveResult("saved", item_id, value, version)
    current = Answer.objects.filter(response=response, item_id=item_id).first()
    if current is None:  # base_version > 0 for an answer that does not exist
        return SaveResult("conflict", item_id, None, 0)
    if current.value == value:
        return SaveResult("unchanged", item_id, current.value, current.version)
    return SaveResult("conflict", item_id, current.value, current.version)


# Questionnaires whose last page asks for consent to research use (koers.research pools
# Career Compass answers of consenting respondents only).
ASKS_RESEARCH_CONSENT = frozenset({"career_compass"})


def asks_research_consent(campaign: Campaign) -> bool:
    return campaign.instrument_key in ASKS_RESEARCH_CONSENT


def finish_response(
    response: Response, secret: str | None, *, research_consent: bool = False
) -> None:
    """Mark finished; the invitation (if the secret opens one) drops its secret for good.
    ``research_consent`` is the respondent's answer to the optional research question
    (stored only for a questionnaire that asks it; default no)."""
    consent = research_consent and asks_research_consent(response.campaign)
    with transaction.atomic():
        Response.objects.filter(pk=response.pk, finished_on__isnull=True).update(
            finished_on=timezone.localdate(), research_consent=consent
        )
        if secret:
            forget_invitation_secret(secret)
    response.refresh_from_db()
    for hook in hooks.response_finished.implementations():
        hook(response)


def set_research_consent(response: Response, consent: bool) -> None:
    """The respondent changes their mind: from now on in (or out of) every pooled dataset."""
    if asks_research_consent(response.campaign) and response.is_finished:
        Response.objects.filter(pk=response.pk).update(research_consent=consent)
        response.research_consent = consent


def forget_invitation_secret(secret: str) -> None:
    Invitation.objects.filter(secret_hash=links.invitation_hash(secret)).update(
        completed=True, secret_encrypted=""
    )


def delete_response(response: Response, secret: str | None) -> None:
    """The respondent deletes their answers: gone from every aggregate from now on."""
    with transaction.atomic():
        if secret:
            forget_invitation_secret(secret)
        response.delete()


def close_campaign(campaign: Campaign) -> int:
    """Close a campaign; wipe every stored invitation secret. Returns how many were wiped."""
    with transaction.atomic():
        campaign.closed = True
        campaign.closed_on = campaign.closed_on or timezone.localdate()
        campaign.save(update_fields=["closed", "closed_on"])
        return (
            Invitation.objects.filter(campaign=campaign)
            .exclude(secret_encrypted="")
            .update(secret_encrypted="")
        )


def invite(campaign: Campaign, emails: list[str]) -> list[Invitation]:
    """Create invitations (one per new address) with a fresh link secret each."""
    created = []
    existing = set(Invitation.objects.filter(campaign=campaign).values_list("email", flat=True))
    for email in dict.fromkeys(e.strip().lower() for e in emails if e.strip()):
        if email in existing:
            continue
        secret = links.new_secret()
        created.append(
            Invitation.objects.create(
                campaign=campaign,
                email=email,
                secret_hash=links.invitation_hash(secret),
                secret_encrypted=links.encrypt_secret(secret),
            )
        )
    return created


def invitation_link_secret(invitation: Invitation) -> str | None:
    if invitation.completed or not invitation.secret_encrypted:
        return None
    return links.decrypt_secret(invitation.secret_encrypted)


def campaign_counts(campaign: Campaign) -> dict[str, int]:
    """Counts only: how many started and finished (no individual is described)."""
    responses = Response.objects.filter(campaign=campaign)
    invitations = Invitation.objects.filter(campaign=campaign)
    return {
        "started": responses.count(),
        "finished": responses.filter(finished_on__isnull=False).count(),
        "invited": invitations.count(),
        "invitations_completed": invitations.filter(completed=True).count(),
    }


def delete_expired_answers(cutoff: Any) -> int:
    """Retention: responses of campaigns that closed (or ended) before ``cutoff``."""
    from django.db.models import Q

    expired = Response.objects.filter(
        Q(campaign__closed_on__lt=cutoff) | Q(campaign__closes_on__lt=cutoff)
    )
    return int(expired.delete()[1].get("surveys.Response", 0))
