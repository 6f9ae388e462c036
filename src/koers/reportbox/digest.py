"""The confidential adviser's daily e-mail: how many new reports and messages wait.

A notification per report would tell the adviser when it was written (the mail's
time), which the box deliberately does not store. So there is one overview a day,
at a fixed time (Celery beat ``koers.reportbox_digest``, or cron running ``koers
manage reportbox_digest``), with counts only: no content, no kind, no time.
"""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from koers.organisations.models import Membership, Organisation, Role
from koers.reportbox.models import Report, ReportMessage, ReportReader


def send_digests() -> int:
    """One e-mail to each adviser with something new they can read; returns mails sent.

    Each adviser's counts are of the reports they may read (named on the form when the
    report was written, or handed over to them) and the reporters' messages on those:
    an adviser is not told about reports written to someone else.
    """
    sent = 0
    waiting_reports = Report.objects.filter(adviser_notified=False)
    waiting_messages = ReportMessage.objects.filter(from_adviser=False, adviser_notified=False)
    org_ids = set(waiting_reports.values_list("organisation_id", flat=True)) | set(
        waiting_messages.values_list("report__organisation_id", flat=True)
    )
    for organisation in Organisation.objects.filter(pk__in=org_ids).order_by("pk"):
        with transaction.atomic():
            reports = waiting_reports.filter(organisation=organisation)
            messages = waiting_messages.filter(report__organisation=organisation)
            advisers = Membership.objects.filter(
                organisation=organisation, role=Role.CONFIDENTIAL_ADVISER
            ).select_related("user")
            link = settings.SITE_URL.rstrip("/") + reverse(
                "reportbox_inbox", kwargs={"org": organisation.slug}
            )
            told: list[int] = []
            for membership in advisers.order_by("user__email"):
                user = membership.user
                readable = ReportReader.readable_by(user)
                n_reports = reports.filter(pk__in=readable).count()
                n_messages = messages.filter(report_id__in=readable).count()
                if not user.email or not (n_reports or n_messages):
                    continue  # kept waiting until someone who can read them is told
                subject, body = _digest(organisation, n_reports, n_messages, link)
                send_mail(subject, body, None, [user.email])
                told.append(user.pk)
                sent += 1
            told_of = ReportReader.objects.filter(user_id__in=told).values("report_id")
            reports.filter(pk__in=told_of).update(adviser_notified=True)
            messages.filter(report_id__in=told_of).update(adviser_notified=True)
    return sent


def _digest(
    organisation: Organisation, n_reports: int, n_messages: int, link: str
) -> tuple[str, str]:
    """Subject and body of one overview (in Dutch, the box's language)."""
    with translation.override("nl"):
        subject = _("Meldpunt %(org)s: nieuwe meldingen") % {"org": organisation.name}
        body = _(
            "In het meldpunt van %(org)s staan sinds het vorige overzicht:\n\n"
            "  nieuwe meldingen: %(reports)d\n"
            "  nieuwe berichten van melders: %(messages)d\n\n"
            "Lees ze in Koers: %(link)s\n\n"
            "Dit overzicht komt hooguit één keer per dag en noemt geen inhoud, soort of "
            "tijdstip: zo kan niemand uit deze e-mail afleiden wie er meldde."
        ) % {
            "org": organisation.name,
            "reports": n_reports,
            "messages": n_messages,
            "link": link,
        }
    return subject, body


@shared_task(name="koers.reportbox_digest")  # type: ignore[untyped-decorator]
def digest_task() -> int:
    return send_digests()
