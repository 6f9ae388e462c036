"""Demo content: an open reporting box with three reports, one readable with a printed code."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from koers.lib import codes
from koers.organisations.models import Organisation
from koers.reportbox import services
from koers.reportbox.models import AdviserProfile, Report, ReportBox, ReportMessage, ReportReader

DEMO_TOKEN = "demo-meldpunt-2026"
DEMO_CODE = "DEM0MEDE2026KRS0"  # demo installations only: printed by `make run`

_REPORTS = [
    # (code or None, category, days ago, text, closed days ago, messages (adviser?, text))
    (
        DEMO_CODE,
        Report.Category.DISCRIMINATION,
        20,
        "In het projectoverleg wordt wat ik voorstel pas opgepakt als een mannelijke collega "
        "het herhaalt. Het gebeurt nu zo vaak dat ik niets meer inbreng.",
        None,
        [
            (
                True,
                "Dank je dat je dit meldt. Wil je vertellen of dit in één team speelt of "
                "breder? Je hoeft geen namen te noemen.",
            ),
            (False, "Vooral in één projectteam, sinds de reorganisatie in het voorjaar."),
        ],
    ),
    (
        None,
        Report.Category.BULLYING,
        6,
        "Bij de koffieautomaat worden grappen gemaakt over collega's die parttime werken "
        "voor de zorg van hun kinderen.",
        None,
        [],
    ),
    (
        None,
        Report.Category.OTHER,
        75,
        "Op de werkvloer hangt een kalender die ik ongepast vind.",
        40,
        [(True, "De kalender is weggehaald. Ik sluit de melding; schrijf gerust terug.")],
    ),
]


def load_demo_report_box(org: Organisation) -> str:
    box, _ = ReportBox.objects.get_or_create(
        organisation=org,
        defaults={
            "public_token": DEMO_TOKEN,
            "is_open": True,
            "intro": "De vertrouwenspersoon van Voorbeeld Techniek is Sanne de Vries "
            "(extern, via Arbodienst Noord). Je kunt haar ook direct bellen: 050 000 0000.",
        },
    )
    if not box.intro_en:
        box.intro_en = (
            "Voorbeeld Techniek's confidential adviser is Sanne de Vries (external, through "
            "Arbodienst Noord). You can also call her directly: 050 000 0000."
        )
        box.save(update_fields=["intro_en"])
    # The advisers name themselves on the form (never by their login address).
    for user in services.current_advisers(org.pk):
        AdviserProfile.objects.get_or_create(
            organisation=org,
            user=user,
            defaults={
                "name": "Sanne de Vries",
                "role_nl": "externe vertrouwenspersoon, Arbodienst Noord",
                "role_en": "external confidential adviser, Arbodienst Noord",
            },
        )
    today = timezone.localdate()
    for n, (code, category, days, text, closed, thread) in enumerate(_REPORTS):
        code = code or f"DEM0REP0RT{n:06d}"
        report, created = Report.objects.get_or_create(
            code_hash=services.code_hash(code),
            defaults={
                "organisation": org,
                "number": n + 1,
                "category": category,
                "text": text,
                "received_on": today - dt.timedelta(days=days),
                "status": Report.Status.IN_PROGRESS if thread else Report.Status.NEW,
            },
        )
        if not created:
            continue
        # Written to the demo's adviser, as the form named her (services.receive does this).
        ReportReader.objects.bulk_create(
            ReportReader(report=report, user=user, since=report.received_on)
            for user in services.current_advisers(org.pk)
        )
        for step, (from_adviser, message) in enumerate(thread):
            ReportMessage.objects.create(
                report=report,
                from_adviser=from_adviser,
                text=message,
                sent_on=report.received_on + dt.timedelta(days=2 * step + 1),
            )
        if closed is not None:
            report.status = Report.Status.CLOSED
            report.closed_on = today - dt.timedelta(days=closed)
            report.save(update_fields=["status", "closed_on"])
        if thread:  # answered already, so counted in an earlier daily overview
            Report.objects.filter(pk=report.pk).update(adviser_notified=True)
            report.messages.update(adviser_notified=True)
    base = settings.SITE_URL.rstrip("/")
    link = base + reverse("reportbox_public", kwargs={"token": box.public_token})
    return (
        f"Reporting box (no login needed; adviser Sanne de Vries answers within "
        f"{box.answer_days} working days): {link} ; read a demo report at "
        f"{base}{reverse('reportbox_status')} with code {codes.format_code(DEMO_CODE)}"
    )
