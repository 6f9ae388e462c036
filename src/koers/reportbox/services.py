"""What the reporting box does: open a box, receive a report, talk back and forth, close.

A reporter is known only by the receipt code shown once after sending. Codes are
16 characters of Crockford base-32 (80 bits), stored as a keyed hash; look-ups
with a wrong code count towards the address's failed-look-up limit
(:mod:`koers.lib.ratelimit`, shared with the survey links).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Max, QuerySet
from django.utils import timezone

from koers.lib import codes, ratelimit
from koers.organisations.models import Membership, Organisation, Role
from koers.reportbox.models import AdviserProfile, Report, ReportBox, ReportMessage, ReportReader

if TYPE_CHECKING:
    from django.http import HttpRequest

CODE_LENGTH = 16  # 80 bits: the code is the reporter's only key, for months
REPORTS_PER_ADDRESS_PER_HOUR = 30  # reports and messages together


REPORT_CODE = "report-code"


def code_hash(code: str) -> str:
    return codes.keyed_hash(REPORT_CODE, codes.normalise_code(code))


def new_code() -> str:
    return codes.new_code(CODE_LENGTH)


def looks_like_code(code: str) -> bool:
    return codes.looks_like_code(code, CODE_LENGTH)


def over_report_limit(request: HttpRequest) -> bool:
    """Count a report or message; True when the address is over its hourly limit.

    Much lower than the autosave ceiling: nobody writes more than a few reports, and a
    flood would bury real ones in the confidential adviser's inbox.
    """
    return ratelimit.over_limit(request, "reports", REPORTS_PER_ADDRESS_PER_HOUR, 3600)


def box_of(organisation: Organisation) -> ReportBox:
    """The organisation's box, created closed the first time it is asked for."""
    box, _ = ReportBox.objects.get_or_create(
        organisation=organisation,
        defaults={"public_token": codes.new_secret()[:24], "is_open": False},
    )
    return box  # type: ignore[no-any-return]


def new_link(box: ReportBox) -> None:
    """A new public address: the old one stops working (for a leaked or misused link)."""
    box.public_token = codes.new_secret()[:24]
    box.save(update_fields=["public_token"])


def current_advisers(organisation_id: int) -> list[Any]:
    """The organisation's confidential advisers now, as the public form names them."""
    members = Membership.objects.filter(
        organisation_id=organisation_id, role=Role.CONFIDENTIAL_ADVISER
    ).select_related("user")
    return [m.user for m in members.order_by("user__email")]


def adviser_name(user: Any) -> str:
    """How advisers and admins see an adviser inside Koers (never shown to reporters)."""
    return str(user.get_full_name() or user.email)


@dataclass(frozen=True)
class PublicAdviser:
    """An adviser as reporters see them: the name and role the adviser entered."""

    name: str
    role: str


def public_advisers(organisation_id: int, users: Iterable[Any]) -> list[PublicAdviser]:
    """Names and roles for the public pages, in the page's language; never an address.

    An adviser who has not filled in their profile yet is shown by the account's name, or
    as "confidential adviser" when that is empty too.
    """
    from django.utils.translation import gettext as _

    users = list(users)
    profiles = {
        p.user_id: p
        for p in AdviserProfile.objects.filter(
            organisation_id=organisation_id, user__in=[u.pk for u in users]
        )
    }
    shown = []
    for user in users:
        profile = profiles.get(user.pk)
        if profile is not None:
            shown.append(PublicAdviser(profile.name, profile.role))
        else:
            name = user.get_full_name() or _("Vertrouwenspersoon (naam nog niet ingevuld)")
            shown.append(PublicAdviser(str(name), ""))
    return shown


def profile_of(organisation: Organisation, user: Any) -> AdviserProfile:
    """The adviser's profile (unsaved, prefilled with the account's name, when new)."""
    found = AdviserProfile.objects.for_org(organisation).filter(user=user).first()
    return found or AdviserProfile(organisation=organisation, user=user, name=user.get_full_name())


def add_working_days(day: dt.date, days: int) -> dt.date:
    """``day`` plus ``days`` working days (Monday to Friday; public holidays not counted)."""
    current = day
    left = days
    while left > 0:
        current += dt.timedelta(days=1)
        if current.weekday() < 5:
            left -= 1
    return current


def answer_expected(box: ReportBox, report: Report) -> dt.date | None:
    """When the reporter can expect an answer: the promised number of working days after
    their latest word (the report or their last message), or None when the adviser has
    answered since or the report is closed."""
    if report.status == Report.Status.CLOSED:
        return None
    last = report.messages.order_by("-id").first()
    if last is not None and last.from_adviser:
        return None
    since = last.sent_on if last is not None else report.received_on
    return add_working_days(since, box.answer_days)


# The form carries, signed, which advisers it named; a report goes to exactly those.
_SHOWN_SALT = "koers.reportbox.shown-advisers"


def sign_shown(advisers: Iterable[Any]) -> str:
    return signing.dumps(sorted(user.pk for user in advisers), salt=_SHOWN_SALT)


def shown_adviser_ids(token: str) -> set[int] | None:
    """The adviser ids a form named, or None for a missing or altered field."""
    try:
        ids = signing.loads(token, salt=_SHOWN_SALT)
    except signing.BadSignature:
        return None
    return {int(i) for i in ids} if isinstance(ids, list) else None


def readable_reports(organisation: Organisation, user: Any) -> QuerySet[Report]:
    """The reports of ``organisation`` that ``user`` may read: named on the form, or handed
    over to them. (The adviser role itself is checked by the view's ``org_view``.)"""
    reports: QuerySet[Report] = Report.objects.for_org(organisation).filter(
        pk__in=ReportReader.readable_by(user)
    )
    return reports


def can_read(report: Report, user: Any) -> bool:
    return ReportReader.objects.filter(report=report, user=user).exists()


def readers_now(report: Report) -> list[Any]:
    """Who can read ``report`` today: its readers who still have the adviser role."""
    advisers = Membership.objects.filter(
        organisation_id=report.organisation_id, role=Role.CONFIDENTIAL_ADVISER
    ).values("user_id")
    access = (
        ReportReader.objects.filter(report=report, user_id__in=advisers)
        .select_related("user")
        .order_by("user__email")
    )
    return [a.user for a in access]


def hand_over(report: Report, *, by: Any, to: Any) -> bool:
    """A reader gives another current adviser access; False if ``to`` is no adviser or has it.

    Reporters trust the advisers the form named; passing a report on is the named
    adviser's decision (a successor, a second opinion), taken per report and audited.
    """
    if not can_read(report, by):
        raise PermissionError("only a reader of the report can hand it over")
    is_adviser = Membership.objects.filter(
        organisation_id=report.organisation_id, user=to, role=Role.CONFIDENTIAL_ADVISER
    ).exists()
    if not is_adviser or can_read(report, to):
        return False
    ReportReader.objects.create(
        report=report, user=to, handed_over_by=by, since=timezone.localdate()
    )
    return True


@dataclass(frozen=True)
class Received:
    report: Report
    code: str


def receive(
    box: ReportBox, category: str, text: str, readers: Iterable[Any] | None = None
) -> Received:
    """Store a report for ``readers`` (the advisers the form named; default: the current ones)."""
    addressed = list(current_advisers(box.organisation_id) if readers is None else readers)
    for _ in range(20):
        code = new_code()
        try:
            with transaction.atomic():
                last = (
                    Report.objects.filter(organisation_id=box.organisation_id)
                    .aggregate(last=Max("number"))
                    .get("last")
                )
                report = Report.objects.create(
                    organisation_id=box.organisation_id,
                    number=(last or 0) + 1,
                    code_hash=code_hash(code),
                    category=category,
                    text=text,
                    received_on=timezone.localdate(),
                )
                ReportReader.objects.bulk_create(
                    ReportReader(report=report, user=user, since=report.received_on)
                    for user in addressed
                )
            return Received(report, code)
        except IntegrityError:  # two reports took the same number (or a 1-in-2^80 code): again
            continue
    raise RuntimeError("could not store the report: too many simultaneous reports")


def find_report(code: str) -> Report | None:
    if not looks_like_code(code):
        return None
    found = Report.objects.filter(code_hash=code_hash(code)).first()
    if found is None and codes.adopt_former_hash(
        Report, "code_hash", REPORT_CODE, codes.normalise_code(code)
    ):
        found = Report.objects.filter(code_hash=code_hash(code)).first()
    return found


def add_message(report: Report, text: str, *, from_adviser: bool) -> ReportMessage:
    with transaction.atomic():
        message = ReportMessage.objects.create(
            report=report, from_adviser=from_adviser, text=text, sent_on=timezone.localdate()
        )
        if from_adviser and report.status == Report.Status.NEW:
            report.status = Report.Status.IN_PROGRESS
            report.save(update_fields=["status"])
        elif not from_adviser and report.status == Report.Status.CLOSED:
            # The reporter writes again: the conversation is open again.
            report.status, report.closed_on = Report.Status.IN_PROGRESS, None
            report.save(update_fields=["status", "closed_on"])
    return message


def close(report: Report) -> None:
    report.status = Report.Status.CLOSED
    report.closed_on = timezone.localdate()
    report.save(update_fields=["status", "closed_on"])


def reopen(report: Report) -> None:
    report.status, report.closed_on = Report.Status.IN_PROGRESS, None
    report.save(update_fields=["status", "closed_on"])


def withdraw(report: Report) -> None:
    """The reporter takes the report back: it and every message are deleted."""
    report.delete()


def delete_closed_reports(cutoff: dt.date) -> int:
    """Retention: reports closed before ``cutoff`` go, with their messages."""
    expired = Report.objects.filter(status=Report.Status.CLOSED, closed_on__lt=cutoff)
    count = expired.count()
    expired.delete()
    return count
