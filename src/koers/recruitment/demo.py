"""Demo content: last year's applicant file, where women drop out at the interview."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np

from koers.organisations.models import Organisation
from koers.recruitment.models import ApplicantImport, SavedVacancy
from koers.recruitment.services import import_applicants
from koers.recruitment.vacancy import check_vacancy

DEMO_FILENAME = "sollicitanten-2026.csv"
DUTCH = ("gesolliciteerd", "geselecteerd", "gesprek", "aanbod", "aangenomen")
# Chance to pass each step, women and men: women pass the screening as often as men, then
# fall behind at the step to the interview (the planted drop the demo shows).
PASS = {
    "V": (0.55, 0.35, 0.45, 0.80),
    "M": (0.55, 0.65, 0.45, 0.80),
    "X": (0.55, 0.50, 0.45, 0.80),
}
FAMILIES = ("ICT", "Engineering", "Staf")


def demo_file(seed: int = 2026) -> bytes:
    """A Dutch Excel export (``;``, Windows-1252) of 420 candidates."""
    rng = np.random.default_rng(seed)
    lines = ["Kandidaatnummer;Functiefamilie;Geslacht;Sollicitatiedatum;Hoogste fase"]
    start = dt.date(2026, 1, 5)
    for i in range(420):
        gender = str(rng.choice(["V", "M", "X"], p=[0.30, 0.68, 0.02]))
        family = str(rng.choice(FAMILIES, p=[0.45, 0.40, 0.15]))
        stage = 0
        while stage < 4 and rng.random() < PASS[gender][stage]:
            stage += 1
        day = start + dt.timedelta(days=int(rng.integers(0, 300)))
        lines.append(f"S{10000 + i};{family};{gender};{day:%d-%m-%Y};{DUTCH[stage]}")
    return "\r\n".join(lines).encode("cp1252")


# Two versions of one vacancy (our own texts): the first as many technical vacancies read,
# the second rewritten after the check.
DEMO_VACANCIES = (
    (
        "Hoofdopzichter installatietechniek",
        """Hoofdopzichter installatietechniek

Ben jij ambitieus, daadkrachtig en zelfverzekerd? Zoek je een uitdagende functie in een
competitieve omgeving? Dan zoeken wij jou.

Wat vragen wij?
- hbo werktuigbouwkunde of elektrotechniek
- minimaal tien jaar ervaring in de installatietechniek
- ervaring als leidinggevende
- VCA-VOL
- rijbewijs B en BE
- kennis van NEN 1010 en NEN 3140
- ervaring met BIM en Revit
- vloeiend Duits
Je bent stressbestendig en besluitvaardig, en je werkt onafhankelijk.

Wat bieden wij?
Een marktconform salaris en een auto van de zaak.
""",
    ),
    (
        "Projectleider installatietechniek (v/m/x)",
        """Projectleider installatietechniek (v/m/x)

Je zorgt dat ziekenhuizen in de regio veilig en duurzaam verwarmd en geventileerd worden.
Samen met je team van acht monteurs en twee werkvoorbereiders plan je de projecten; je
collega's ondersteunen elkaar en je leert van een ervaren mentor.

Wat vragen wij?
- hbo werktuigbouwkunde of elektrotechniek, of vergelijkbare ervaring
- ervaring met het plannen van technische projecten
- VCA-VOL (halen we samen met je)

Je neemt beslissingen over de planning en bespreekt ze met de opdrachtgever.

Wat bieden wij?
Salaris van 4.100 tot 5.600 euro bruto per maand (schaal 9 cao Metaal en Techniek),
32 tot 40 uur, en ouderschapsverlof dat we vaders ook aanraden.
""",
    ),
)


def load_demo_vacancies(org: Organisation) -> int:
    if SavedVacancy.objects.for_org(org).exists():
        return 0
    for title, text in DEMO_VACANCIES:
        check = check_vacancy(text, title=title, lang="nl")
        SavedVacancy.objects.create(
            organisation=org,
            title=title,
            text=text,
            lang=check.lang,
            n_masculine=check.n_masculine,
            n_feminine=check.n_feminine,
            lean=check.lean,
            findings=[f.code for f in check.findings],
        )
    return len(DEMO_VACANCIES)


def load_demo_recruitment(org: Organisation) -> str:
    n_vacancies = load_demo_vacancies(org)
    if ApplicantImport.objects.for_org(org).filter(filename=DEMO_FILENAME).exists():
        return f"Vacatureteksten: {n_vacancies} bewaard" if n_vacancies else ""
    result = import_applicants(
        org,
        demo_file(),
        DEMO_FILENAME,
        labour_market_share=Decimal("24.00"),
        labour_market_source=(
            "voorbeeld: afgestudeerden hbo/wo techniek (in te vullen met CBS-cijfers)"
        ),
    )
    assert result.upload is not None, result.problems
    return (
        f"Selectietrechter: {result.upload.n_rows} kandidaten ingelezen; "
        f"vacatureteksten: {n_vacancies} bewaard"
    )
