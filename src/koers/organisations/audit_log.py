"""The audit log as people read it: actions in words, filters, and a CSV export.

Events are stored with a stable code (``scan.view``); :data:`ACTIONS` says in words what
each code means, in the page's language. A code without words (from an older release)
is shown as it is stored, so nothing is hidden.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from koers.organisations.models import AuditEvent, Organisation

ACTIONS: dict[str, Promise] = {
    "member.invite": gettext_lazy("Lid uitgenodigd"),
    "member.invite_resend": gettext_lazy("Uitnodiging opnieuw gestuurd"),
    "member.invite_revoke": gettext_lazy("Uitnodiging ingetrokken"),
    "member.invite_accept": gettext_lazy("Uitnodiging aangenomen"),
    "member.remove": gettext_lazy("Lid verwijderd"),
    "member.role": gettext_lazy("Rol van een lid gewijzigd"),
    "organisation.export": gettext_lazy("Alle gegevens van de organisatie geëxporteerd"),
    "scan.view": gettext_lazy("Gender Scan bekeken"),
    "scan.pdf.intern": gettext_lazy("Gender Scan gedownload als pdf (intern, voor HR)"),
    "scan.pdf.deelbaar": gettext_lazy("Gender Scan gedownload als pdf (deelbaar)"),
    "scan.delete": gettext_lazy("Nulmeting verwijderd"),
    "scan.upload": gettext_lazy("HR-bestand geüpload"),
    "scan.problems_csv": gettext_lazy("Probleemregels van een HR-bestand gedownload"),
    "scan.import_valid_rows": gettext_lazy("Goede regels van een HR-bestand geïmporteerd"),
    "teamscan.view": gettext_lazy("Teamscan bekeken"),
    "teamscan.pdf": gettext_lazy("Teamscan gedownload als pdf"),
    "profiles.view": gettext_lazy("Profielanalyse bekeken"),
    "report.view_shared": gettext_lazy("Gedeeld persoonlijk rapport bekeken"),
    "campaign.invite": gettext_lazy("Uitnodigingen voor een campagne verstuurd"),
    "campaign.close": gettext_lazy("Campagne gesloten"),
    "campaign.export.csv": gettext_lazy("Onderzoeksexport gedownload (CSV)"),
    "campaign.export.xlsx": gettext_lazy("Onderzoeksexport gedownload (Excel)"),
    "campaign.export.sav": gettext_lazy("Onderzoeksexport gedownload (SPSS)"),
    "reporting box: new link": gettext_lazy("Nieuwe link voor het meldpunt gemaakt"),
    "viewed report": gettext_lazy("Melding geopend (niet de inhoud gelogd)"),
    "handed over report": gettext_lazy("Melding overgedragen aan een andere vertrouwenspersoon"),
    "audit.export": gettext_lazy("Auditlog geëxporteerd"),
    "recruitment.view": gettext_lazy("Selectietrechter bekeken"),
    "recruitment.import": gettext_lazy("Sollicitantenbestand ingelezen"),
    "recruitment.appraisals_view": gettext_lazy("Beoordelingen naar gender bekeken"),
    "recruitment.appraisals_import": gettext_lazy("Beoordelingsronde ingelezen"),
    "recruitment.vacancy_save": gettext_lazy("Vacaturetekst bewaard"),
    "recruitment.vacancy_delete": gettext_lazy("Bewaarde vacaturetekst verwijderd"),
    "plan.add": gettext_lazy("Actie aan het plan van aanpak toegevoegd"),
    "plan.change": gettext_lazy("Actie van het plan van aanpak gewijzigd"),
    "plan.advice": gettext_lazy("Advies van de ondernemingsraad vastgelegd"),
    "programme.view": gettext_lazy("Sectorprogramma bekeken"),
    "programme.share": gettext_lazy("Delen met sectorprogramma ingesteld"),
    "programme.stop": gettext_lazy("Gestopt met delen met sectorprogramma"),
    "programme.code": gettext_lazy("Uitnodigingscode van een sectorprogramma ingevoerd"),
    "targets.view": gettext_lazy("Streefcijfers bekeken"),
    "targets.save": gettext_lazy("Streefcijfer opgeslagen"),
    "targets.delete": gettext_lazy("Streefcijfer verwijderd"),
    "targets.subtop": gettext_lazy("Subtopdefinitie opgeslagen"),
    "targets.monitor": gettext_lazy("Jaarlijkse monitor bekeken"),
    "targets.programme_day": gettext_lazy("Terugkomdagoverzicht bekeken"),
    "targets.ser": gettext_lazy("Jaarrapportage diversiteit bekeken"),
    "targets.ser_save": gettext_lazy("Gegevens voor de jaarrapportage opgeslagen"),
    "targets.ser_pdf.intern": gettext_lazy("Jaarrapportage diversiteit als PDF (intern)"),
    "targets.ser_pdf.deelbaar": gettext_lazy("Jaarrapportage diversiteit als PDF (om te delen)"),
    "targets.ser_csv": gettext_lazy("Jaarrapportage diversiteit als CSV"),
    "targets.programme_day_pdf.intern": gettext_lazy("Terugkomdagoverzicht als PDF (intern)"),
    "targets.programme_day_pdf.deelbaar": gettext_lazy(
        "Terugkomdagoverzicht als PDF (om te delen)"
    ),
    "targets.programme_day_csv": gettext_lazy("Terugkomdagoverzicht als CSV"),
    "inclusion.view_results": gettext_lazy("Uitkomsten inclusiemonitor bekeken"),
    "inclusion.view_summary": gettext_lazy("Samenvatting inclusiemonitor bekeken"),
    "inclusion summary: new public link": gettext_lazy(
        "Openbare link naar de samenvatting van de inclusiemonitor aangezet"
    ),
    "inclusion summary: public link off": gettext_lazy(
        "Openbare link naar de samenvatting van de inclusiemonitor uitgezet"
    ),
    "paytransparency.agreement": gettext_lazy("Instemming met de categorieën vastgelegd"),
    "paytransparency.answer": gettext_lazy("Informatieverzoek beantwoord"),
    "paytransparency.assessment": gettext_lazy("Gezamenlijke beoordeling van de beloning bekeken"),
    "paytransparency.assessment_edit": gettext_lazy(
        "Gezamenlijke beoordeling van de beloning gewijzigd"
    ),
    "paytransparency.categories": gettext_lazy("Categorieën werknemers gewijzigd"),
    "paytransparency.charges": gettext_lazy(
        "Werkgeverslasten voor de kosten van herstel gewijzigd"
    ),
    "paytransparency.link": gettext_lazy(
        "Link voor informatieverzoeken van werknemers geopend of gesloten"
    ),
    "paytransparency.notice": gettext_lazy(
        "Jaarlijkse kennisgeving over het recht op informatie vastgelegd"
    ),
    "paytransparency.personal_links": gettext_lazy(
        "Persoonlijke links voor informatieverzoeken gemaakt (de oude vervangen)"
    ),
    "paytransparency.pay_range": gettext_lazy("Loonschaal voor een vacature vastgelegd"),
    "paytransparency.pay_range_delete": gettext_lazy("Loonschaal voor een vacature verwijderd"),
    "paytransparency.letter": gettext_lazy("Antwoordbrief op een informatieverzoek gedownload"),
    "paytransparency.report_g_pdf": gettext_lazy("Verslag artikel 9 (g) als PDF gedownload"),
    "paytransparency.report_pdf": gettext_lazy("Verslag artikel 9 als PDF gedownload"),
    "paytransparency.request": gettext_lazy("Informatieverzoek ingevoerd"),
    "scan.compare": gettext_lazy("Twee nulmetingen vergeleken"),
    "scan.replace": gettext_lazy("Nulmeting vervangen door een nieuwe versie"),
    "scan.replace_cancelled": gettext_lazy("Nieuwe versie van een nulmeting weggegooid"),
    "scan.replace_undone": gettext_lazy("Vervanging van een nulmeting ongedaan gemaakt"),
    "scan.trend": gettext_lazy("Verloop van de Gender Scan bekeken"),
    "research.join": gettext_lazy("Organisatie doet mee aan een onderzoeksproject"),
    "research.withdraw": gettext_lazy("Organisatie gestopt met een onderzoeksproject"),
    "research.view_dataset": gettext_lazy("Onderzoeker bekeek de gepoolde onderzoeksdata"),
    "research.view_analysis": gettext_lazy("Onderzoeker bekeek een analyse van gepoolde data"),
    "research.download.csv": gettext_lazy("Onderzoeker downloadde de gepoolde data (CSV)"),
    "research.download.sav": gettext_lazy("Onderzoeker downloadde de gepoolde data (SPSS)"),
    "research.download.zip": gettext_lazy("Onderzoeker downloadde de gepoolde data (R)"),
    "research.syntax.r": gettext_lazy("Onderzoeker downloadde analysesyntax (R)"),
    "research.syntax.sps": gettext_lazy("Onderzoeker downloadde analysesyntax (SPSS)"),
}

# Spreadsheet programs run a cell that starts with one of these as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def label(action: str) -> str:
    words = ACTIONS.get(action)
    return str(words) if words is not None else action


def neutralise(value: str) -> str:
    """A text cell a spreadsheet would run as a formula gets a leading apostrophe."""
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


def selection(detail: dict[str, Any]) -> str:
    """What was asked for (filters of a team scan, a release), in words."""
    parts = []
    if detail.get("filters"):
        parts.append(", ".join(f"{name} = {value}" for name, value in detail["filters"]))
    elif "filters" in detail:
        parts.append(_("hele campagne"))
    if detail.get("release"):
        parts.append(_("stand %(r)s") % {"r": detail["release"]})
    if detail.get("role"):
        from koers.organisations.models import Role

        role = detail["role"]
        parts.append(str(Role(role).label) if role in Role.values else str(role))
    return "; ".join(parts)


@dataclass(frozen=True)
class Filters:
    user_id: int | None = None
    action: str = ""
    since: dt.date | None = None
    until: dt.date | None = None

    def apply(self, events: QuerySet[AuditEvent]) -> QuerySet[AuditEvent]:
        if self.user_id is not None:
            events = events.filter(user_id=self.user_id)
        if self.action:
            events = events.filter(action=self.action)
        if self.since is not None:
            events = events.filter(created__gte=_start_of(self.since))
        if self.until is not None:
            events = events.filter(created__lt=_start_of(self.until + dt.timedelta(days=1)))
        return events

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.user_id is not None:
            out["person"] = self.user_id
        if self.action:
            out["action"] = self.action
        if self.since:
            out["since"] = self.since.isoformat()
        if self.until:
            out["until"] = self.until.isoformat()
        return out


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def events_of(organisation: Organisation, filters: Filters) -> QuerySet[AuditEvent]:
    events: QuerySet[AuditEvent] = AuditEvent.objects.for_org(organisation).select_related("user")
    return filters.apply(events)


def people(organisation: Organisation) -> list[Any]:
    """Everyone who appears in the organisation's log or is a member now."""
    ids = set(
        AuditEvent.objects.for_org(organisation)
        .exclude(user=None)
        .values_list("user_id", flat=True)
        .distinct()
    )
    ids |= set(organisation.memberships.values_list("user_id", flat=True))
    return list(get_user_model().objects.filter(pk__in=ids).order_by("email"))


def actions_in(organisation: Organisation) -> list[tuple[str, str]]:
    """(code, words) of every action in this organisation's log, sorted by the words."""
    codes = AuditEvent.objects.for_org(organisation).values_list("action", flat=True).distinct()
    return sorted(((code, label(code)) for code in set(codes)), key=lambda pair: pair[1])


def to_csv(events: Iterable[AuditEvent]) -> str:
    """The rows as the page shows them, in its language; safe to open in a spreadsheet."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow([_("Tijdstip"), _("Wie"), _("Actie"), _("Code"), _("Waarop"), _("Selectie")])
    for event in events:
        when = timezone.localtime(event.created).strftime("%Y-%m-%d %H:%M:%S")
        who = event.user.email if event.user else ""
        row = [when, who, label(event.action), event.action, event.target, selection(event.detail)]
        writer.writerow([neutralise(str(cell)) for cell in row])
    return buffer.getvalue()
