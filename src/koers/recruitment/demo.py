"""Demo content: last year's applicant file, where women drop out at the interview."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np

from koers.organisations.models import Organisation
from koers.recruitment.models import ApplicantImport
from koers.recruitment.services import import_applicants

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


def load_demo_recruitment(org: Organisation) -> str:
    if ApplicantImport.objects.for_org(org).filter(filename=DEMO_FILENAME).exists():
        return ""
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
    return f"Selectietrechter: {result.upload.n_rows} kandidaten ingelezen"
