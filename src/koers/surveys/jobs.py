"""Background work for campaigns: e-mail (invitations and reminders with the personal
link) and the research export as a file made in the background (koers.jobs.downloads)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from koers.jobs.errors import JobError
from koers.jobs.models import Job
from koers.organisations.access import OrgRequest
from koers.surveys.models import Campaign, Invitation
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


def export_file(
    fmt: str, request: OrgRequest, args: dict[str, Any], progress: Callable[[int, str], None]
) -> tuple[bytes, str]:
    """The research export of a campaign as a file (a download builder, registered per
    format in extensions.py as ``surveys.export.<fmt>``): the same bytes the synchronous
    download gave (tests/surveys/test_export_job.py)."""
    from koers.surveys import export

    campaign = Campaign.objects.for_org(request.organisation).filter(pk=args["campaign"]).first()
    if campaign is None:
        raise JobError(_("Deze campagne bestaat niet meer."))
    language = (request.LANGUAGE_CODE or "nl")[:2]
    try:
        built = export.build_export(campaign, language=language, progress=progress)
    except export.ExportRefused:
        raise JobError(
            _("Exporteren kan pas bij minstens %(k)d afgeronde antwoorden.")
            % {"k": settings.KOERS_MIN_GROUP_SIZE}
        ) from None
    progress(85, _("Bestand schrijven"))
    writer = getattr(export, export.FORMATS[fmt][1])
    return writer(built), f"campaign-{campaign.pk}.{fmt}"


# One builder per format, made once: a named hook takes each exactly once.
EXPORT_BUILDERS = {fmt: partial(export_file, fmt) for fmt in ("csv", "xlsx", "sav")}
