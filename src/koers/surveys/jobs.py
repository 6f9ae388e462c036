"""Background e-mail for campaigns: invitations and reminders with the personal link."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from koers.jobs.models import Job
from koers.surveys.models import Invitation
from koers.surveys.services import invitation_link_secret


def send_invitations(job: Job) -> dict[str, Any]:
    """params: invitation_ids; reminder (bool). Skips completed invitations."""
    ids = list(job.params.get("invitation_ids", []))
    reminder = bool(job.params.get("reminder", False))
    invitations = Invitation.objects.filter(
        pk__in=ids, campaign__organisation=job.organisation, completed=False
    ).select_related("campaign")
    sent = skipped = 0
    total = max(1, len(ids))
    for i, invitation in enumerate(invitations, start=1):
        minutes = invitation.campaign.instrument().minutes_to_tell
        secret = invitation_link_secret(invitation)
        if secret is None:
            skipped += 1
            continue
        link = settings.SITE_URL.rstrip("/") + reverse("respond", kwargs={"credential": secret})
        with translation.override("nl"):
            subject = (_("Herinnering: %(name)s") if reminder else _("Uitnodiging: %(name)s")) % {
                "name": invitation.campaign.name
            }
            body = _(
                "Je bent uitgenodigd om de vragenlijst '%(name)s' in te vullen. Het duurt "
                "ongeveer %(minutes)s minuten en je antwoorden zijn anoniem: je werkgever ziet "
                "nooit iets over jou persoonlijk.\n\nJe persoonlijke link (deel hem niet):\n"
                "%(link)s\n"
            ) % {"name": invitation.campaign.name, "link": link, "minutes": minutes}
        send_mail(subject, body, None, [invitation.email])
        Invitation.objects.filter(pk=invitation.pk).update(
            sent_count=invitation.sent_count + 1, last_sent=timezone.now()
        )
        sent += 1
        job.set_progress(round(100 * i / total), f"{i}/{total}")
    return {"sent": sent, "skipped": skipped}
