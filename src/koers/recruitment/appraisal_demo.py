"""Demo content for appraisal parity: a round of 160 appraisals with texts written from
sentence pools (our own), in which women's texts hold fewer sentences tied to a result and
more doubt raisers, and women get a slightly lower rating than the text supports."""

from __future__ import annotations

import csv
import io

import numpy as np

from koers.organisations.models import Organisation
from koers.recruitment.appraisals import import_appraisals
from koers.recruitment.models import AppraisalRound

DEMO_ROUND = "Beoordelingen 2026 (voorbeeld)"

RESULT = (
    "Heeft de storingstijd van lijn 3 met 20% verlaagd.",
    "Heeft het nieuwe testplatform op tijd opgeleverd.",
    "De doorlooptijd van offertes is verkort van tien naar zes dagen.",
    "Heeft met het team de overstap naar de nieuwe besturing afgerond.",
    "Het project bespaarde 40.000 euro aan onderhoud.",
    "Heeft drie klantklachten over de koeling opgelost.",
    "Het ontwerp van de pompkelder is goedgekeurd en gerealiseerd.",
)
PERSONALITY = (
    "Is een prettige en behulpzame collega.",
    "Is altijd vriendelijk en betrokken bij het team.",
    "Zorgt voor een gezellige sfeer.",
    "Is enthousiast en loyaal.",
)
DOUBT = (
    "Lijkt soms te twijfelen bij grote beslissingen.",
    "Hoewel de planning niet altijd haalbaar was, is het werk af.",
    "Zou kunnen groeien in het nemen van initiatief.",
    "Werkt redelijk zelfstandig.",
)
NEUTRAL = (
    "Werkt aan het onderhoud van de installaties.",
    "Neemt deel aan het wekelijkse overleg.",
    "Heeft de cursus veiligheid gevolgd.",
    "Begeleidt een stagiair.",
    "Schrijft de werkinstructies voor de monteurs.",
)


def demo_appraisal_file(seed: int = 2026, *, planted: bool = True) -> bytes:
    """A Dutch export (``;``, UTF-8): 16 reviewers, levels 8 to 11, about 28 % women."""
    rng = np.random.default_rng(seed)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(
        [
            "Personeelsnummer",
            "Beoordelaar",
            "Geslacht",
            "Functieniveau",
            "Eindoordeel",
            "Toelichting",
        ]
    )
    number = 5000
    for reviewer in range(16):
        level = 8 + reviewer % 4
        strict = rng.normal(0, 0.3)
        for _ in range(10):
            woman = rng.random() < 0.28
            gap = planted and woman
            n_result = int(rng.binomial(3, 0.35 if gap else 0.7))
            n_doubt = int(rng.binomial(2, 0.6 if gap else 0.15))
            n_personality = int(rng.binomial(2, 0.6 if gap else 0.3))
            sentences = [
                *rng.choice(RESULT, n_result, replace=False),
                *rng.choice(PERSONALITY, n_personality, replace=False),
                *rng.choice(DOUBT, n_doubt, replace=False),
                *rng.choice(NEUTRAL, 2, replace=False),
            ]
            rng.shuffle(sentences)
            rating = 3 + strict + 0.35 * n_result - 0.25 * n_doubt + rng.normal(0, 0.35)
            rating -= 0.25 if gap else 0.0
            rating = float(np.clip(np.round(rating * 2) / 2, 1, 5))
            writer.writerow(
                [
                    f"P{number}",
                    f"B{100 + reviewer}",
                    "V" if woman else "M",
                    level,
                    f"{rating:.1f}".replace(".", ","),
                    " ".join(str(s) for s in sentences),
                ]
            )
            number += 1
    return out.getvalue().encode("utf-8")


def load_demo_appraisals(org: Organisation) -> str:
    if AppraisalRound.objects.for_org(org).filter(name=DEMO_ROUND).exists():
        return ""
    result = import_appraisals(
        org, demo_appraisal_file(), "beoordelingen-2026.csv", name=DEMO_ROUND
    )
    assert result.round is not None, result.problems
    return f"Beoordelingen: {result.round.n_rows} ingelezen"
