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
from koers.reportbox.models import Report, ReportMessage


def send_digests() -> int:
    """One e-mail to each adviser of each organisation with something new; mails sent."""
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
            n_reports, n_messages = reports.count(), messages.count()
            advisers = list(
                Membership.objects.filter(
                    organisation=organisation, role=Role.CONFIDENTIAL_ADVISER
                ).values_list("user__email", flat=True)
            )
            recipients = [address for address in advisers if address]
            if not recipients or not (n_reports or n_messages):
                continue  # kept waiting until someone can read them
            link = settings.SITE_URL.rstrip("/") + reverse(
                "reportbox_inbox", kwargs={"org": organisation.slug}
            )
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
            for address in recipients:
                send_mail(subject, body, None, [address])
                sent += 1
            reports.update(adviser_notified=True)
            messages.update(adviser_notified=True)
    return sent


@shared_task(name="koers.reportbox_digest")  # type: ignore[untyped-decorator]
def digest_task() -> int:
    return send_digests()
