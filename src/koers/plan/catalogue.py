"""The catalogue of employer measures (``data/measures.yaml``): loaded, checked, frozen.

Pure (no Django). Every measure says which of the four reasons women leave tech it
addresses (the VHTO whitepaper, ``shared/seeds/000_…``), which findings make it relevant,
how much effort it takes, who typically owns it, and where it comes from (a seed file and
a quotation copied from it). :func:`load_catalogue` raises :class:`CatalogueError` naming
the entry and the field when the file is wrong.

Finding codes are strings. Those of the Gender Scan are the ids of its improvement-area
rules (``koers/scan/data/improvement_rules.yaml``, e.g. ``promotion_rate_women_lower``);
the other apps' signals are named in :data:`OTHER_FINDINGS`, with their prefix. Only the
Gender Scan's are read for an organisation today (:func:`koers.plan.findings.findings_of`);
the others are in the catalogue so the measures are already linked when those apps
report them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from koers.scan.improvement import load_rules

CATALOGUE_FILE = Path(__file__).resolve().parent / "data" / "measures.yaml"

REASONS = ("gender_bias", "low_confidence", "work_family", "not_at_home")
EFFORTS = ("low", "medium", "high")
# Typical owner -> (nl, en).
OWNERS: Mapping[str, tuple[str, str]] = {
    "board": ("Directie", "Board"),
    "hr": ("HR", "HR"),
    "managers": ("Leidinggevenden", "Managers"),
    "recruitment": ("Werving en selectie", "Recruitment"),
    "facilities": ("Facilitaire dienst", "Facilities"),
    "communications": ("Communicatie", "Communications"),
    "di_group": ("Werkgroep diversiteit en inclusie", "Diversity and inclusion group"),
}

# Findings of other apps than the Gender Scan: code -> (nl, en, reasons it points to).
# They name what the app shows; an app that reports one gives it with this code.
OTHER_FINDINGS: Mapping[str, tuple[str, str, tuple[str, ...]]] = {
    # Career Compass team scan (koers.compass): women report more experienced gender
    # stigma than men, or the group's identification with the profession is low.
    "compass.gender_stigma": (
        "Vrouwen ervaren meer genderstigma (Carrière Kompas)",
        "Women experience more gender stigma (Career Compass)",
        ("gender_bias", "not_at_home"),
    ),
    "compass.low_identification": (
        "Lage identificatie met het vak of wens te vertrekken (Carrière Kompas)",
        "Low identification with the profession or wish to leave (Career Compass)",
        ("low_confidence", "not_at_home"),
    ),
    # Reporting box (koers.reportbox): reports were received, or no box is open.
    "reportbox.reports": (
        "Er zijn meldingen van ongewenst gedrag binnengekomen",
        "Reports of unwanted behaviour were received",
        ("not_at_home",),
    ),
    "reportbox.not_open": (
        "Er is geen anoniem meldpunt",
        "There is no anonymous reporting box",
        ("not_at_home",),
    ),
    # Recruitment (koers.recruitment): the funnel's "signal" against women at a step, the
    # women's share of applicants below the labour market, and the vacancy-text findings.
    "recruitment.funnel_drop": (
        "Vrouwen vallen vaker af in een stap van de selectie",
        "Women drop out more often at a step of the selection",
        ("gender_bias",),
    ),
    "recruitment.women_applicants_low": (
        "Minder vrouwelijke sollicitanten dan op de arbeidsmarkt",
        "Fewer women applicants than in the labour market",
        ("gender_bias",),
    ),
    "recruitment.vacancy_masculine": (
        "Vacatureteksten met overwegend mannelijk gecodeerde woorden",
        "Vacancy texts with mostly masculine-coded words",
        ("gender_bias",),
    ),
    "recruitment.long_requirements": (
        "Vacatures met een lange lijst eisen",
        "Vacancies with a long list of requirements",
        ("gender_bias", "low_confidence"),
    ),
    "recruitment.no_societal_value": (
        "Vacatures zonder de maatschappelijke waarde van het werk",
        "Vacancies without the societal value of the work",
        ("gender_bias",),
    ),
    "recruitment.no_pay_range": (
        "Vacatures zonder salarisschaal",
        "Vacancies without a pay range",
        ("gender_bias",),
    ),
}


class CatalogueError(ValueError):
    """The catalogue file is malformed; the message names the entry and the field."""


@dataclass(frozen=True)
class Source:
    file: str  # a seed file in shared/seeds
    quote: str  # copied verbatim from it


@dataclass(frozen=True)
class Measure:
    id: str
    title: Mapping[str, str]  # nl, en
    description: Mapping[str, str]
    reasons: tuple[str, ...]
    findings: tuple[str, ...]
    effort: str
    owner: str
    source: Source
    scan_measure: str = ""

    def text(self, field: str, lang: str) -> str:
        texts: Mapping[str, str] = getattr(self, field)
        return texts["en" if lang.startswith("en") else "nl"]

    def owner_label(self, lang: str) -> str:
        return OWNERS[self.owner][1 if lang.startswith("en") else 0]


@dataclass(frozen=True)
class Catalogue:
    measures: tuple[Measure, ...]

    def get(self, measure_id: str) -> Measure | None:
        return next((m for m in self.measures if m.id == measure_id), None)

    def ids(self) -> tuple[str, ...]:
        return tuple(m.id for m in self.measures)


def known_findings() -> dict[str, tuple[str, ...]]:
    """Every finding code a measure may name, with the leaving reasons it points to."""
    codes = {rule.id: tuple(rule.reasons) for rule in load_rules().rules}
    codes.update({code: reasons for code, (_, _, reasons) in OTHER_FINDINGS.items()})
    return codes


def finding_label(code: str, lang: str) -> str:
    """A finding's title in ``lang`` (the scan's rule title, or the other app's label)."""
    en = lang.startswith("en")
    if code in OTHER_FINDINGS:
        nl_label, en_label, _reasons = OTHER_FINDINGS[code]
        return en_label if en else nl_label
    rule = next((r for r in load_rules().rules if r.id == code), None)
    return code if rule is None else rule.title["en" if en else "nl"]


def _texts(raw: Any, where: str) -> dict[str, str]:
    if not isinstance(raw, dict) or not all(
        isinstance(raw.get(k), str) and raw[k].strip() for k in ("nl", "en")
    ):
        raise CatalogueError(f"{where}: needs a Dutch (nl) and an English (en) text")
    return {"nl": raw["nl"].strip(), "en": raw["en"].strip()}


def _codes(raw: Any, where: str, allowed: Iterable[str]) -> tuple[str, ...]:
    if not isinstance(raw, list):
        raise CatalogueError(f"{where}: needs a list (an empty list [] on purpose)")
    allowed = set(allowed)
    unknown = [c for c in raw if c not in allowed]
    if unknown:
        raise CatalogueError(f"{where}: unknown {', '.join(map(str, unknown))}")
    if len(set(raw)) != len(raw):
        raise CatalogueError(f"{where}: a code is listed twice")
    return tuple(str(c) for c in raw)


def parse_catalogue(data: Any) -> Catalogue:
    """Check and build the catalogue; every error names the measure and the field."""
    if not isinstance(data, dict) or not isinstance(data.get("measures"), list):
        raise CatalogueError("the file needs a list under 'measures'")
    findings = known_findings()
    scan_measures = set(load_rules().measures)
    seen: set[str] = set()
    measures = []
    for i, raw in enumerate(data["measures"], start=1):
        if not isinstance(raw, dict):
            raise CatalogueError(f"measure {i}: is not a mapping")
        measure_id = raw.get("id")
        if not isinstance(measure_id, str) or not measure_id.isidentifier():
            raise CatalogueError(f"measure {i}: id: needs a snake_case id, got {measure_id!r}")
        where = f"measure {measure_id}"
        if measure_id in seen:
            raise CatalogueError(f"{where}: id: used twice")
        seen.add(measure_id)
        effort = raw.get("effort")
        if effort not in EFFORTS:
            raise CatalogueError(f"{where}: effort: one of {', '.join(EFFORTS)}, got {effort!r}")
        owner = raw.get("owner")
        if owner not in OWNERS:
            raise CatalogueError(f"{where}: owner: one of {', '.join(OWNERS)}, got {owner!r}")
        scan_measure = raw.get("scan_measure", "")
        if scan_measure and scan_measure not in scan_measures:
            raise CatalogueError(f"{where}: scan_measure: unknown {scan_measure!r}")
        source = raw.get("source")
        if not isinstance(source, dict) or not all(
            isinstance(source.get(k), str) and source[k].strip() for k in ("file", "quote")
        ):
            raise CatalogueError(f"{where}: source: needs a file and a quote from it")
        measures.append(
            Measure(
                id=measure_id,
                title=_texts(raw.get("title"), f"{where}: title"),
                description=_texts(raw.get("description"), f"{where}: description"),
                reasons=_codes(raw.get("reasons"), f"{where}: reasons", REASONS),
                findings=_codes(raw.get("findings"), f"{where}: findings", findings),
                effort=str(effort),
                owner=str(owner),
                source=Source(source["file"].strip(), source["quote"].strip()),
                scan_measure=str(scan_measure or ""),
            )
        )
    return Catalogue(tuple(measures))


@lru_cache(maxsize=2)
def load_catalogue(path: Path = CATALOGUE_FILE) -> Catalogue:
    with path.open(encoding="utf-8") as fh:
        return parse_catalogue(yaml.safe_load(fh))
