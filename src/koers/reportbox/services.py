"""What the reporting box does: open a box, receive a report, talk back and forth, close.

A reporter is known only by the receipt code shown once after sending. Codes are
16 characters of Crockford base-32 (80 bits), stored as a keyed hash; look-ups
with a wrong code count towards the address's failed-look-up limit
(:mod:`koers.surveys.throttle`).
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from koers.organisations.models import Organisation
from koers.reportbox.models import Report, ReportBox, ReportMessage
from koers.surveys import links

CODE_LENGTH = 16  # 80 bits: the code is the reporter's only key, for months


REPORT_CODE = "report-code"


def code_hash(code: str) -> str:
    return links.keyed_hash(REPORT_CODE, links.normalise_code(code))


def new_code() -> str:
    return "".join(secrets.choice(links.CODE_ALPHABET) for _ in range(CODE_LENGTH))


def looks_like_code(code: str) -> bool:
    norm = links.normalise_code(code)
    return len(norm) == CODE_LENGTH and all(ch in links.CODE_ALPHABET for ch in norm)


def box_of(organisation: Organisation) -> ReportBox:
    """The organisation's box, created closed the first time it is asked for."""
    box, _ = ReportBox.objects.get_or_create(
        organisation=organisation,
        defaults={"public_token": links.new_secret()[:24], "is_open": False},
    )
    return box  # type: ignore[no-any-return]


def new_link(box: ReportBox) -> None:
    """A new public address: the old one stops working (for a leaked or misused link)."""
    box.public_token = links.new_secret()[:24]
    box.save(update_fields=["public_token"])


@dataclass(frozen=True)
class Received:
    report: Report
    code: str


def receive(box: ReportBox, category: str, text: str) -> Received:
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
            return Received(report, code)
        except IntegrityError:  # two reports took the same number (or a 1-in-2^80 code): again
            continue
    raise RuntimeError("could not store the report: too many simultaneous reports")


def find_report(code: str) -> Report | None:
    if not looks_like_code(code):
        return None
    found = Report.objects.filter(code_hash=code_hash(code)).first()
    if found is None and links.adopt_former_hash(
        Report, "code_hash", REPORT_CODE, links.normalise_code(code)
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
