"""What the vacancy-text check says to its reader: the lean and each finding with advice.

Kept apart from :mod:`koers.recruitment.vacancy` (pure, no Django) so the analysis can be
tested and used by the API without translations. Every piece of advice names where it
comes from: the whitepaper (shared/seeds/000) or EU Directive 2023/970.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from koers.recruitment.vacancy import MIN_CODED_WORDS, Finding, VacancyCheck


@dataclass(frozen=True)
class Advice:
    code: str
    problem: str
    advice: str
    source: str


def lean_sentence(check: VacancyCheck) -> str:
    n = check.n_masculine + check.n_feminine
    counts = {"m": check.n_masculine, "f": check.n_feminine}
    if check.lean == "too_few":
        return ngettext(
            "Er staat %(n)s gecodeerd woord in de tekst. Dat is te weinig om iets over de "
            "toon te zeggen: Koers zegt pas iets vanaf %(min)s woorden.",
            "Er staan %(n)s gecodeerde woorden in de tekst. Dat is te weinig om iets over de "
            "toon te zeggen: Koers zegt pas iets vanaf %(min)s woorden.",
            n,
        ) % {"n": n, "min": MIN_CODED_WORDS}
    if check.lean == "masculine":
        return (
            _(
                "De tekst leunt naar mannelijk gecodeerde woorden: %(m)s mannelijk, %(f)s "
                "vrouwelijk. Zulke teksten verlagen bij vrouwen het gevoel dat ze erbij "
                "zouden horen, niet hun oordeel over hun eigen kunnen (Gaucher, Friesen en "
                "Kay, 2011)."
            )
            % counts
        )
    if check.lean == "feminine":
        return (
            _(
                "De tekst leunt naar vrouwelijk gecodeerde woorden: %(f)s vrouwelijk, %(m)s "
                "mannelijk. Kijk of de tekst het werk nog concreet beschrijft."
            )
            % counts
        )
    return (
        _("De tekst is in evenwicht: %(m)s mannelijk en %(f)s vrouwelijk gecodeerde woorden.")
        % counts
    )


def advice_for(finding: Finding) -> Advice:
    d = finding.detail
    whitepaper = _("Whitepaper Vrouwen in techniek, aanbevelingen voor werving")
    if finding.code == "masculine_title":
        return Advice(
            finding.code,
            _("De functietitel staat alleen in de mannelijke vorm (%(word)s).") % d,
            _(
                "Kies een neutrale titel, of noem beide vormen (%(feminine)s) of zet er "
                "'(v/m/x)' achter."
            )
            % d,
            _("EU-richtlijn 2023/970, artikel 5, lid 2: genderneutrale vacatures en functietitels"),
        )
    if finding.code == "no_pay_range":
        return Advice(
            finding.code,
            _(
                "De tekst noemt een salaris, maar geen bedrag of schaal: 'marktconform' zegt "
                "een kandidaat niets."
            )
            if d.get("vague")
            else _("Er staat geen salaris of salarisschaal in de tekst."),
            _(
                "Noem de schaal of het bruto maandsalaris van-tot. Open salarisinformatie "
                "geeft vrouwen het gevoel dat ze eerlijk worden betaald, en de EU-richtlijn "
                "vraagt de werkgever de beloning of de bandbreedte vóór het gesprek te geven."
            ),
            _("EU-richtlijn 2023/970, artikel 5, lid 1; whitepaper (O'Brien, 2019)"),
        )
    if finding.code == "long_requirements":
        return Advice(
            finding.code,
            ngettext("De tekst noemt %(n)s eis.", "De tekst noemt %(n)s eisen.", int(d.get("n", 0)))
            % d,
            _(
                "Houd alleen de eisen die echt nodig zijn en maak van de rest wensen. Vrouwen "
                "reageren minder snel als ze denken aan alle eisen te moeten voldoen, en "
                "onderschatten hun competenties eerder dan mannen."
            ),
            whitepaper,
        )
    if finding.code == "no_societal_value":
        return Advice(
            finding.code,
            _("De tekst zegt niet wat het werk betekent voor mensen of de samenleving."),
            _("Beschrijf de maatschappelijke waarde van het werk: wie heeft er baat bij?"),
            whitepaper,
        )
    if finding.code == "no_team":
        return Advice(
            finding.code,
            _("De tekst zegt niets over het team of de samenwerking."),
            _(
                "Beschrijf met wie de nieuwe collega werkt en hoe het team elkaar "
                "ondersteunt: zulke taal spreekt vrouwen eerder aan (van der Nat, 2019)."
            ),
            whitepaper,
        )
    if finding.code == "traits":
        return Advice(
            finding.code,
            _("De tekst beschrijft eigenschappen van de persoon: %(words)s.")
            % {"words": ", ".join(d.get("words", []))},
            _(
                "Beschrijf wat iemand in deze functie doet, niet wie iemand is: niet 'je "
                "bent daadkrachtig', maar 'je neemt beslissingen over de planning'."
            ),
            whitepaper,
        )
    return Advice(finding.code, finding.code, "", "")
